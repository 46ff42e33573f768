/** @file
 *  @brief Direct quotations in passages and who said them.
 *
 *  A quotation is text between curly double quotes, straight double quotes, or curly single quotes
 *  (‘…’, told apart from apostrophes). One or two quoted words are scare quotes ("all-weather"): a
 *  quote, but nobody's words. Otherwise the speaker is found in the quote's sentence: the reporting
 *  verb nearest the quote ("said", "called", "described", ...; a verb joined by "and" shares the
 *  subject of the one before it) and the person named closest before it; or a person named with a
 *  reporting verb just after the quote ("…,” said Dar); or "he"/"she" when the sentence before names
 *  exactly one person. People are the gazetteer's person actors (an id), or else a capitalised name
 *  just before a reporting verb (a name without id).
 */
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quire/actors.h"

namespace quire {

struct Quote {
  std::uint32_t cp_begin = 0;  ///< the quoted words, without the quote marks (code points, end exclusive)
  std::uint32_t cp_end = 0;
  std::string text;
  bool scare = false;        ///< one or two words: a scare quote, no speaker
  std::string speaker;       ///< person actor id, or "" when unknown or not a person in the gazetteer
  std::string speaker_name;  ///< the speaker as named in the text ("" when none was found)
};

/// Quotes in each passage of one document. `mentions` are the actor mentions the gazetteer found in
/// the same passages (its tag()), which name the people.
std::vector<std::vector<Quote>> find_quotes(const std::vector<std::string>& passages,
                                            const std::vector<std::vector<ActorMention>>& mentions,
                                            const Gazetteer& gazetteer);

}  // namespace quire
