/** @file
 *  @brief Non-content blocks (schemas/blocks.xml): the parts of a document that are about the
 *  document rather than its subject (author biographies, acknowledgements, reference lists,
 *  disclaimers, copyright notices). The tagger gives their passages no actors, dyads, themes or
 *  speakers; they stay searchable as text. A loaded BlockRules is read-only and may be shared.
 */
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace quire {

class BlockRules {
 public:
  /// Loads blocks.xml. Throws InputError (file, line, reason) if it is malformed or a pattern is not
  /// a valid regular expression.
  static BlockRules load(const std::string& path);
  static BlockRules parse(const std::string& path, const std::string& xml);

  BlockRules();
  ~BlockRules();
  BlockRules(BlockRules&&) noexcept;
  BlockRules& operator=(BlockRules&&) noexcept;

  /// The block kind ("biography", "references", ...) of each passage, or "" for content. `sections`
  /// holds each passage's section heading ("" when none; may be shorter than `passages`).
  std::vector<std::string> classify(const std::vector<std::string>& passages,
                                    const std::vector<std::string>& sections) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace quire
