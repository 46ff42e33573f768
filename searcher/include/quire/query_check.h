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

/// `query` (already normalised) with each capitalised name of a known field in `fields` written in lower
/// case (`TITLE:nuclear`, `Author:bhutto`, `By:PAK` -> `title:nuclear` ...), as capitals change nothing
/// elsewhere in a query; text inside quotes and unknown names (`Kashmir:India`) are left as written
/// (check_query() refuses the latter, naming them).
std::string fold_field_names(std::string_view query, const std::vector<std::string>& fields);

/// A problem with `query` as typed, before normalise_query() turns its control characters into spaces:
/// a control character (other than tab, line end or form feed, which are spaces) in the value of a
/// field of `fields` (any case), or right after its colon, is named with the field and its position,
/// e.g. "'by:' at character 1: its value holds the control character \x1b". "" when there is none.
std::string field_control_problem(std::string_view query, const std::vector<std::string>& fields);
/// The same for a control character inside a word (a letter or digit on both sides, a run of controls
/// taken as one): "nu<BEL>clear" would become the two words "nu clear" and match neither, so it is
/// named, "the word 'nu\x07clear' at character 1 holds the control character \x07" (rt11j row 13). A
/// control between words (`peace <ESC> war`, a pasted tab) is a space. "" when there is none.
std::string word_control_problem(std::string_view query);

/// `query` (already normalised) with its words accent-folded as the index folds them (quire/fold.h:
/// "Café" -> "Cafe"), except the values of the fields named in `keep` (filters such as
/// `speaker:"José Martí"`, matched as their own values are written): `name:value` or `name:"a value"`.
std::string fold_query(std::string_view query, const std::vector<std::string>& keep);

/// `query` with each `name:(a group)` of the fields named in `fields` written `name:"(a group)"`, so
/// that a field read as a filter gets its whole group as its value (Xapian's boolean prefixes take one
/// word or one quoted string). A group holding quotes or unbalanced is left as it is.
std::string quote_field_groups(std::string_view query, const std::vector<std::string>& fields);

/// `query` (as quote_field_groups() leaves it) with the filters that Xapian's parser would bind to one
/// operand of a boolean operator moved out, so that they restrict the whole query (or the brackets they
/// stand in). Xapian's boolean operators (AND, OR, NOT, XOR) bind more loosely than the words beside
/// them, and a filter restricts only the words of its operand: `kashmir NOT plebiscite by:PAK` is
/// `kashmir NOT (plebiscite by:PAK)`, speeches on Kashmir by anyone. The rule, at each level of brackets:
/// - with no boolean operator the query is left as it is (a filter already restricts all of it);
/// - in an operand holding a word (or phrase, or group of words) every filter moves out, but the first
///   item after NOT, which is what NOT excludes: `kashmir NOT plebiscite by:PAK` is read as
///   `(kashmir NOT plebiscite) by:PAK`, `by:PAK kashmir OR india` as `(kashmir OR india) by:PAK`;
/// - in an operand of filters alone the filter next to the operator is the operand and stays, the
///   others move out: `kashmir OR by:PAK` and `kashmir NOT (actor:india OR actor:china)` are left as
///   written, `kashmir NOT author:bhutto by:PAK` is `(kashmir NOT author:bhutto) by:PAK`.
/// A filter is `name:value` of a field named in `fields` (with `+` or `-` before it), or a bracketed group
/// of them. Words after NOT's first item stay where Xapian puts them (`a NOT b c` excludes `b c`).
std::string filters_lifted(std::string_view query, const std::vector<std::string>& fields);

/// The field name of a bracketed group of filters once filter_groups() has taken it out of a query.
inline constexpr const char* kFilterGroupField = "qfiltergroup";

/// A query with its groups of filters taken out (filter_groups()).
struct FilterGroups {
  std::string query;                ///< the query, each group written `qfiltergroup:N`
  std::vector<std::string> groups;  ///< group N's text without its brackets, inner groups taken out first
};

/// `query` (as quote_field_groups() leaves it) with each bracketed group made only of filters (`name:value`
/// of a field named in `fields`, `+`/`-` before one, AND, OR, NOT, XOR and inner such groups) written as
/// one filter `qfiltergroup:N`, so that Xapian's parser applies it as it applies a single filter:
/// restricting the words beside it, excluded after NOT or `-`. Xapian's parser takes a bracketed group
/// as one more term of the words around it, OR'ed with them by default. Groups holding a word, a
/// phrase, NEAR or ADJ, and a field's own bracketed value (`title:"(a b)"`), are left as written.
FilterGroups filter_groups(std::string_view query, const std::vector<std::string>& fields);

/// `text` (a query or a group of filter_groups()) with each `qfiltergroup:N` written back as its group.
std::string restore_filter_groups(const std::string& text, const std::vector<std::string>& groups);

/// Common English function words, dropped from free-text queries (kept inside "phrases"): the
/// searcher's stop list, which check_query() also reads (an operand of stop words alone is no operand).
inline constexpr const char* kStopWords[] = {
    "a",      "about",  "after",  "all",     "also", "an",    "and",    "any",  "are",   "as",     "at",      "be",
    "been",   "before", "being",  "between", "both", "but",   "by",     "can",  "could", "did",    "do",      "does",
    "during", "each",   "for",    "from",    "had",  "has",   "have",   "he",   "her",   "here",   "hers",    "him",
    "his",    "how",    "i",      "if",      "in",   "into",  "is",     "it",   "its",   "itself", "me",      "more",
    "most",   "my",     "no",     "nor",     "not",  "of",    "on",     "once", "only",  "or",     "other",   "our",
    "ours",   "out",    "over",   "own",     "same", "she",   "should", "so",   "some",  "such",   "than",    "that",
    "the",    "their",  "theirs", "them",    "then", "there", "these",  "they", "this",  "those",  "through", "to",
    "too",    "under",  "until",  "up",      "very", "was",   "we",     "were", "what",  "when",   "where",   "which",
    "while",  "who",    "whom",   "why",     "will", "with",  "would",  "you",  "your",  "yours"};

/// The widest window NEAR/n and ADJ/n take, in words: a passage (the unit a query matches) is at most
/// about 1,500 characters, so a wider one would match as AND does.
inline constexpr unsigned kMaxProximityWindow = 1000;

/// Returns "" if `query` (already normalised) is well formed, else one line saying what is wrong and
/// where (1-based character position). `fields` are the names allowed before ':'. A NEAR/n or ADJ/n
/// whose n is not a whole number from 1 to kMaxProximityWindow is wrong (Xapian's parser would read it
/// as words).
std::string check_query(std::string_view query, const std::vector<std::string>& fields);

}  // namespace quire
