/** @file
 *  @brief The theme taxonomy (schemas/themes.xml) and theme tagging. A passage has a theme when the
 *  weights of the theme's terms it contains (each term counted at most twice) reach the theme's
 *  threshold; it then also has the theme's group. Terms match on English Snowball stems, ignoring
 *  case. A loaded ThemeSet is read-only; tag() uses a Stemmer of the caller's.
 */
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "quire/stemmer.h"

namespace quire {

struct Theme {
  std::string id;
  std::string label;
  std::string group;  ///< the group's id, or "" for a group itself
  int threshold = 0;
};

class ThemeSet {
 public:
  /// Loads themes.xml. Throws InputError (file, line, reason) if it is malformed.
  static ThemeSet load(const std::string& path);
  static ThemeSet parse(const std::string& path, const std::string& xml);

  ThemeSet();
  ~ThemeSet();
  ThemeSet(ThemeSet&&) noexcept;
  ThemeSet& operator=(ThemeSet&&) noexcept;

  /// Groups and themes, groups first.
  const std::vector<Theme>& themes() const;
  const Theme* find(const std::string& id) const;

  /// Theme ids a user's word means: an id, or every theme whose id or label contains the word
  /// ("nuclear" -> nuclear; "trade" -> trade).
  std::vector<std::string> resolve(const std::string& word) const;

  /// The themes (and their groups) of `text`, sorted by id.
  std::vector<std::string> tag(const std::string& text, const Stemmer& stemmer) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
