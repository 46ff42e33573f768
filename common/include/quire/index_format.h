/** @file
 *  @brief Every on-disk constant of a quire index: term prefixes, value slots, metadata keys and the
 *  format version.
 *
 *  WARNING: this header is part of the index format. Changing a prefix, a slot or a key makes existing
 *  indexes unreadable or silently wrong; bump kFormatVersion when you do, so old indexes are refused
 *  with a message instead. Prefixes follow Omega's conventions (Q unique id, S title, A author,
 *  X... for quire's own), see xapian-omega docs/termprefixes.rst.
 */
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace quire::format {

/// Version of the layout below. Stored under kKeyFormat; quire refuses an index of another version.
/// Format 4 (from 3): text and fielded text indexed accent-folded (fold.h) and counted in Xapian's
/// spelling table (did you mean); document records as Xapian documents (kTermRecord) instead of D:
/// metadata; facet slots prefixed by the document id (ValueCountMatchSpy, shards); collections in the
/// manifest (kManifestFile) instead of C: metadata.
inline constexpr int kFormatVersion = 4;

// Term prefixes. Each Xapian document is one passage, or one document record (kTermRecord).
inline constexpr std::string_view kPrefixPassageId = "Q";     ///< Q<doc id>#<passage number>, unique
inline constexpr std::string_view kPrefixDocument = "XDOC";   ///< boolean: the document a passage is from
inline constexpr std::string_view kPrefixTitle = "S";         ///< fielded text: title and subtitle
inline constexpr std::string_view kPrefixAuthor = "A";        ///< fielded text: authors
inline constexpr std::string_view kPrefixPublisher = "XPUB";  ///< fielded text: publisher and journal
inline constexpr std::string_view kPrefixQuote = "XQ";        ///< fielded text: the words inside quotations
inline constexpr std::string_view kPrefixActor = "XA";        ///< boolean: an actor the passage names (actor id)
inline constexpr std::string_view kPrefixTheme = "XT";        ///< boolean: a theme or theme group of the passage
inline constexpr std::string_view kPrefixMentioned = "XM";    ///< boolean: a year the passage mentions (YYYY)
inline constexpr std::string_view kPrefixSpeaker = "XS";      ///< boolean: a speaker of a quote (person id or ~name)
inline constexpr std::string_view kPrefixPublished = "XY";    ///< boolean: the document's publication year (YYYY)
inline constexpr std::string_view kPrefixDyad = "XDY";        ///< boolean: two actors named together, "a/b" with a < b
inline constexpr std::string_view kPrefixBy = "XB";           ///< boolean: an actor the document is by (catalogue)
inline constexpr std::string_view kPrefixExtra = "XE";  ///< boolean: a catalogue field, "name=value" (value lower case)
/// Every document record holds this term and no passage does: a search excludes it (AND_NOT), and its
/// term frequency is the number of documents. A record is the Xapian document of one indexed document:
/// its data is the document's metadata JSON with its tags (to_json(DocumentMeta) plus "tags"). Records
/// live in the same database (shard) as the document's passages, so every shard holds all a search of
/// its hits needs (Xapian's multi-database reads user metadata from its first database only).
inline constexpr std::string_view kTermRecord = "XREC";
inline constexpr std::string_view kPrefixRecordId = "XRID";  ///< boolean: XRID<doc id>, unique, on its record

// Value slots.
inline constexpr unsigned kSlotDocument = 0;   ///< document id; the collapse key for one result per document
inline constexpr unsigned kSlotParagraph = 1;  ///< paragraph number, sortable_serialise()d
inline constexpr unsigned kSlotDate = 2;       ///< publication date as written (YYYY[-MM[-DD]]), sorts as text
// Facet slots: each holds "<doc id>" kDocSeparator "<the passage's values joined by kListSeparator>",
// and is counted with Xapian's own ValueCountMatchSpy (which a stock xapian-tcpsrv runs): a count per
// distinct slot value gives, once the values are split, the matching passages and distinct documents of
// every facet value exactly, over any mix of local and remote shards. A passage without values for a
// facet has the slot empty.
inline constexpr unsigned kSlotActors = 3;           ///< actor ids
inline constexpr unsigned kSlotThemes = 4;           ///< theme and group ids
inline constexpr unsigned kSlotPublished = 5;        ///< publication year (one value)
inline constexpr unsigned kSlotMentioned = 6;        ///< years mentioned
inline constexpr unsigned kSlotSpeakers = 7;         ///< speaker keys
inline constexpr unsigned kSlotPublisher = 8;        ///< publisher, or the journal when there is none (one value)
inline constexpr unsigned kSlotDyads = 9;            ///< "a/b" actor pairs
inline constexpr unsigned kSlotBy = 10;              ///< actors the document is by
inline constexpr unsigned kSlotPublisherValue = 11;  ///< the publisher alone (no doc id): the publisher filter
inline constexpr unsigned kSlotExtra = 12;  ///< catalogue fields: "<doc id>\x1e<name>=<value>\x1f..." (extra_term's)
inline constexpr char kListSeparator = '\x1f';
inline constexpr char kDocSeparator = '\x1e';

// Metadata keys (Xapian user metadata of each database, committed with the passages). The searcher
// reads them from every shard on its own (never through a multi-database, which reads the first only).
inline constexpr std::string_view kKeyFormat = "quire:format";  ///< decimal kFormatVersion
inline constexpr std::string_view kKeyFilePrefix = "F:";        ///< F:<absolute path> -> file state JSON
/// G:<absolute path> -> the document a removal (--prune, a rebuild without the file) took out of the
/// index: JSON {"id": doc id, "hash": content hash, "long_path": hex when the path is too long for the
/// key}. A new file at that path, or of those bytes, takes the id back (docs/robustness.md, "Document
/// identity"). In the shard of the id; never beside an F: record of the same path. Optional.
inline constexpr std::string_view kKeyRemovedPrefix = "G:";
/// Format 3 only: C:<name> -> a saved collection, JSON. Read by a rebuild, which carries them over into
/// the manifest (kManifestFile); format 4 keeps collections there.
inline constexpr std::string_view kKeyCollectionPrefix = "C:";
inline constexpr std::string_view kKeyExtraFields = "quire:extra";  ///< catalogue field names in use, one per line
/// The most catalogue field names a searcher reads from kKeyExtraFields: each becomes a query field, so
/// an index naming more (one received from someone else) is refused, not read at the cost of every search.
/// A metadata map names its fields, a few dozen at most (docs/robustness.md).
inline constexpr std::size_t kMaxCatalogueFields = 1000;
/// The people a metadata map's catalogue names (speakers, authors), as person actors of this index:
/// JSON [{"name": ..., "affiliation": actor id, "from": year, "to": year}]. Optional; absent = none.
inline constexpr std::string_view kKeyPeople = "quire:people";
/// L:<speaker key> -> the label of a speaker that is no gazetteer actor ("~kofi-annan" -> "Kofi Annan"),
/// as the tagger first wrote it. Optional: without it a label is made from the key.
inline constexpr std::string_view kKeySpeakerLabelPrefix = "L:";

// Xapian's limits: a term of more than 245 bytes, or a metadata key of more than 253, is refused (and
// fails the whole write). Every term and key quire makes from a document or a path fits under these.
inline constexpr std::size_t kMaxTermBytes = 245;
inline constexpr std::size_t kMaxKeyBytes = 245;
/// Longest document id: ids are in terms (XDOC<id>, XRID<id>, Q<id>#<n>).
inline constexpr std::size_t kMaxIdBytes = 200;
/// In a file state record: the path, as hex, when it is too long for its F: key (see file_key()).
inline constexpr const char* kStateLongPath = "long_path";

/// Lower-case hex of every byte of `bytes`.
inline std::string to_hex(std::string_view bytes) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) out.append(1, kDigits[c >> 4]).append(1, kDigits[c & 15]);
  return out;
}

/// Inverse of to_hex(); "" when `hex` is not hex.
inline std::string from_hex(std::string_view hex) {
  const auto digit = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
  std::string out;
  if (hex.size() % 2 != 0) return out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return "";
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

/// The metadata key of the file at `path` under `prefix` (kKeyFilePrefix, kKeyRemovedPrefix):
/// <prefix><path>, or, when that is longer than kMaxKeyBytes, <prefix><the path's first 200 bytes>\0<FNV-1a
/// of the whole path, 16 hex digits>. No path holds a NUL, so a key with one is always of the second form;
/// its record holds the whole path (kStateLongPath).
inline std::string path_key(std::string_view prefix, std::string_view path) {
  std::string k = std::string(prefix).append(path);
  if (k.size() <= kMaxKeyBytes) return k;
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : path) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::string hash;
  for (int shift = 56; shift >= 0; shift -= 8) hash += to_hex(std::string(1, static_cast<char>((h >> shift) & 0xFF)));
  return std::string(prefix).append(path.substr(0, 200)).append(1, '\0').append(hash);
}

/// The key of the state of the file at `path`: path_key(kKeyFilePrefix, path).
inline std::string file_key(std::string_view path) { return path_key(kKeyFilePrefix, path); }

/// True for a key of file_key()'s second form.
inline bool is_long_file_key(std::string_view key) { return key.find('\0') != std::string_view::npos; }
// Files in and beside an index folder DIR (docs/robustness.md, "Rebuilds and recovery"). quire deletes
// only files named here, and only in folders it proved are its own (a marker it wrote, or an index whose
// folder it recorded by device and inode before moving it aside).
/// Where `quire index --rebuild` builds the new index: PARENT/.<DIR's name><kRebuildSuffix>.
inline constexpr std::string_view kRebuildSuffix = ".quire-rebuild";
/// Where the old index goes when the filesystem cannot exchange two folders in one rename.
inline constexpr std::string_view kAsideSuffix = ".quire-old";
/// The marker of a folder being rebuilt ("quire rebuild", its state, the old folder's device and inode);
/// it moves with the new index into DIR and is removed when the old index is gone.
inline constexpr std::string_view kRebuildMarker = "quire-rebuild";
/// The marker of an index being created, from before Xapian's first file until its first commit.
inline constexpr std::string_view kCreatingMarker = "quire-creating";
/// The manifest of an index, in its folder beside Xapian's files: JSON {"format": 4, "collections":
/// {NAME: collection JSON}}. Written whole and atomically (write_file_durably) under the index's write
/// lock; a rebuild writes it into the new folder before the swap. Absent = no collections.
inline constexpr std::string_view kManifestFile = "quire-manifest.json";
/// A sharded index (`quire index --shards N`, N > 1): DIR holds the manifest and N glass databases in
/// the folders DIR/shard0 ... DIR/shard<N-1>, each a whole quire index of its own documents. The manifest
/// then also holds {"shards": N, "commit": {"generation": G, "revisions": [Xapian revision of each
/// shard]}}: the set of shard commits that make up the index's last whole commit, written (atomically)
/// only after every shard committed generation G (kKeyGeneration). An index folder without "shards" in
/// its manifest is one database in DIR itself (the layout of one shard).
inline constexpr std::string_view kShardFolderPrefix = "shard";
/// The most shards an index may have: each is a writer thread and a set of open files while indexing.
inline constexpr int kMaxShards = 64;
/// In each shard of a sharded index: the generation (decimal) of the whole-index commit the shard's last
/// commit belongs to. A shard ahead of the manifest's generation is the sign of a commit a kill interrupted.
inline constexpr std::string_view kKeyGeneration = "quire:generation";
/// The shard of a sharded index that holds document `doc_id` (its passages, its record and its file's
/// state): 64-bit FNV-1a of the id, modulo `shards`. Part of the format: changing it strands documents.
inline std::size_t shard_of(std::string_view doc_id, std::size_t shards) {
  if (shards <= 1) return 0;
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : doc_id) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return static_cast<std::size_t>(h % shards);
}
/// The files Xapian's glass backend writes in an index folder (xapian-core backends/glass), and the
/// temporary names it gives them while it writes.
inline constexpr std::string_view kGlassFiles[] = {
    "iamglass",       "flintlock",     "postlist.glass", "termlist.glass", "position.glass", "docdata.glass",
    "spelling.glass", "synonym.glass", "record.glass",   "iamglass.tmp",   "postlist.tmp",   "termlist.tmp",
    "position.tmp",   "docdata.tmp",   "spelling.tmp",   "synonym.tmp",    "record.tmp",     "v.tmp"};

// Passage document data is a JSON object with these keys.
inline constexpr const char* kDataDocument = "d";
inline constexpr const char* kDataPassage = "n";
inline constexpr const char* kDataParagraph = "p";
inline constexpr const char* kDataSection = "s";
inline constexpr const char* kDataText = "t";
inline constexpr const char* kDataActors = "a";   ///< [[actor id, begin, end], ...] mentions, code points
inline constexpr const char* kDataThemes = "th";  ///< [theme id, ...]
inline constexpr const char* kDataQuotes = "q";   ///< [{"b","e","s" speaker key,"n" speaker name}, ...]
inline constexpr const char* kDataYears = "y";    ///< [year, ...] mentioned
// Optional, for passages of paginated files (PDF, text with form feeds); absent in other passages and in
// indexes made before they existed, which read as "no page".
inline constexpr const char* kDataPage = "pg";           ///< physical page (1-based) of the passage's start
inline constexpr const char* kDataPageEnd = "pge";       ///< physical page of its end, when not kDataPage
inline constexpr const char* kDataPageLabel = "pl";      ///< printed label of kDataPage ("xiv", "14")
inline constexpr const char* kDataPageLabelEnd = "ple";  ///< printed label of kDataPageEnd, when it is stored

/// The boolean term of catalogue field `name` with `value`: XE<name>=<value>, the value lower-cased
/// (ASCII), its white space collapsed, a number written without leading zeros ("07" and "7" meet), and
/// cut to fit Xapian's term length.
inline std::string extra_term(std::string_view name, std::string_view value) {
  std::string v;
  for (char c : value) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (space) {
      if (!v.empty() && v.back() != ' ') v += ' ';
    } else {
      v += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  while (!v.empty() && v.back() == ' ') v.pop_back();
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) {
    const std::size_t nz = v.find_first_not_of('0');
    v = nz == std::string::npos ? "0" : v.substr(nz);
  }
  std::string t = std::string(kPrefixExtra).append(name).append("=").append(v);
  if (t.size() > 200) t.resize(200);
  return t;
}

}  // namespace quire::format
