/** @file
 *  @brief Catches malformed queries before Xapian's QueryParser sees them. The parser quietly
 *  reinterprets a broken query (an unclosed quote becomes plain words), so a user never learns that
 *  the phrase they meant was not searched; quire says what is wrong instead.
 */
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace quire {

/// Typographic quotes and apostrophes folded to ASCII (“ ” „ → ", ‘ ’ → '), so a phrase pasted from a
/// word processor is still a phrase.
std::string normalise_query(std::string_view query);

/// Returns "" if `query` (already normalised) is well formed, else one line saying what is wrong and
/// where (1-based character position). `fields` are the names allowed before ':'.
std::string check_query(std::string_view query, const std::vector<std::string>& fields);

}  // namespace quire
