/** @file
 *  @brief Direct quotations in passages and who said them.
 *
 *  A quotation is text between double quotes, curly or straight, or curly single quotes (‘…’, told
 *  apart from apostrophes). A double mark opens or closes by its neighbours (a space before it opens,
 *  a space or punctuation after a word closes), so mixed marks (“…," and "…”) and curly marks turned
 *  the wrong way pair up; a quote inside another is part of it. One or two quoted words are scare
 *  quotes ("all-weather"): a quote, but nobody's words, unless a reporting clause follows them ("“Meh,”
 *  wrote Roe"). Otherwise the speaker is the subject of a reporting verb next to the quote: "…,” said
 *  Dar / "…,” Dar said right after it, or else the verb nearest before the quote in its sentence ("Dar
 *  described it as “…”"; a verb joined by "and" shares the subject of the one before it; a verb that
 *  opens the sentence or stands between commas takes the name after it: "Said Roe, “…”"); a name
 *  opening the sentence, for a verb of the rules or a participle of saying after a comma ("Roe
 *  rallied supporters, saying “…”"); a paragraph that ends with a colon ("Roe said:") introduces the
 *  quotation opening the next; "he"/"she" is the speaker of the sentence before, or the one person it
 *  names.
 *
 *  A speaker is a person or a body: a gazetteer person or organisation named in the subject phrase
 *  (an id), or a phrase headed by a name, cleaned by the rules of schemas/speakers.xml: leading
 *  function words, honorifics and titles are dropped ("As President Kennedy said" is Kennedy), and a
 *  bare title of an office the rules know is its holder at the document's date ("the
 *  Secretary-General" in 1999 is Kofi Annan). In a phrase with a joiner of the rules inside ("of",
 *  "for") the words before it speak ("Jane Roe of the Heritage Foundation"), unless a title holds the
 *  joiner ("Minister for Foreign Affairs"), the whole phrase is an office or a gazetteer name
 *  ("Organization of American States"), or a name follows a place or a title ("Speaker of the House
 *  Rep. Paul Ryan"). A phrase of lower-case words, a bare title of no known office or a body's head
 *  alone ("the Ministry of Defence") is nobody: the quote has no speaker.
 */
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "quire/actors.h"

namespace quire {

struct Quote {
  std::uint32_t cp_begin = 0;  ///< the quoted words, without the quote marks (code points, end exclusive)
  std::uint32_t cp_end = 0;
  std::string text;
  bool scare = false;        ///< one or two words: a scare quote, no speaker
  std::string speaker;       ///< gazetteer actor id (person or organisation), or "" when not in the gazetteer
  std::string speaker_name;  ///< the speaker's label, cleaned, in proper case ("" when none was found)
};

/// The rules of schemas/speakers.xml. Read-only once loaded; may be shared between threads.
class SpeakerRules {
 public:
  /// Loads speakers.xml. Throws InputError (file, line, reason) if it is malformed.
  static SpeakerRules load(const std::string& path);
  static SpeakerRules parse(const std::string& path, const std::string& xml);

  SpeakerRules();
  ~SpeakerRules();
  SpeakerRules(SpeakerRules&&) noexcept;
  SpeakerRules& operator=(SpeakerRules&&) noexcept;

  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

/// A speaker phrase as written ("As President Kennedy", "the UN Secretary General") cleaned to a
/// label ("Kennedy", the holder at `year`), or "" when it names nobody. Gazetteer names are not
/// looked up here; find_quotes() does that first.
std::string normalise_speaker(const std::string& phrase, const SpeakerRules& rules, int year);

/// The names of every office holder the rules list ("Dag Hammarskjöld", "Kofi Annan"), each once, in
/// the order of the file.
std::vector<std::string> office_holders(const SpeakerRules& rules);

/// Quotes in each passage of one document. `mentions` are the actor mentions the gazetteer found in
/// the same passages (its tag()); `year` is the document's year (0 if unknown), for office holders.
std::vector<std::vector<Quote>> find_quotes(const std::vector<std::string>& passages,
                                            const std::vector<std::vector<ActorMention>>& mentions,
                                            const Gazetteer& gazetteer, const SpeakerRules& rules, int year);

}  // namespace quire
