// The HTML reader: libxml2's HTML parser, a walk that flattens the tree into text blocks, main-content
// selection and the page's metadata. See html_reader.h; the method is described in docs/formats.md.
#include "quire/html_reader.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <unordered_map>

#include "quire/dates.h"
#include "quire/errors.h"
#include "quire/json_input.h"
#include "quire/readers.h"
#include "quire/text_cleaner.h"
#include "quire/utf8.h"
#include "text_helpers.h"

namespace quire {
namespace {

// ---- names -------------------------------------------------------------------------------------

const char* name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

// What the walk needs to know of an element name, looked up once per element.
enum TagFlag : unsigned {
  kSkip = 1,          // content never text a reader sees (scripts, forms' controls, media)
  kBlock = 2,         // starts and ends a block of text
  kFurnitureTag = 4,  // page furniture by the element alone (outside an EPUB chapter)
  kArticleTag = 8,    // <article>, <main>
  kMetaTag = 16,      // <meta>, <link>, <title>, <script>, <html>: read for metadata
  kLink = 32,
  kListItem = 64,
  kTable = 128,
  kCell = 256,
  kBreak = 512,  // <br>, <hr>
  kRoot = 1024,  // <html>, <body>: never furniture
};

struct TagInfo {
  unsigned flags = 0;
  int heading = 0;
};

TagInfo tag_info(const char* name) {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string_view, TagInfo>;
    for (const char* s : {"style",  "noscript", "template", "svg",    "math",     "iframe", "object", "embed",
                          "canvas", "video",    "audio",    "select", "option",   "button", "input",  "textarea",
                          "map",    "picture",  "source",   "dialog", "datalist", "output"})
      (*t)[s].flags |= kSkip;
    for (const char* s :
         {"p",     "div",    "section", "article", "main",    "h1",       "h2",       "h3",         "h4",
          "h5",    "h6",     "li",      "ul",      "ol",      "dl",       "dt",       "dd",         "pre",
          "table", "tr",     "tbody",   "thead",   "tfoot",   "figure",   "address",  "header",     "footer",
          "hr",    "br",     "center",  "details", "summary", "fieldset", "legend",   "caption",    "body",
          "html",  "hgroup", "nav",     "aside",   "form",    "menu",     "noscript", "blockquote", "figcaption"})
      (*t)[s].flags |= kBlock;
    for (const char* s : {"nav", "aside", "footer", "menu"}) (*t)[s].flags |= kFurnitureTag;
    for (const char* s : {"article", "main"}) (*t)[s].flags |= kArticleTag;
    for (const char* s : {"meta", "link", "title", "script", "html"}) (*t)[s].flags |= kMetaTag;
    for (const char* s : {"html", "body"}) (*t)[s].flags |= kRoot;
    for (const char* s : {"br", "hr"}) (*t)[s].flags |= kBreak;
    for (const char* s : {"td", "th"}) (*t)[s].flags |= kCell;
    (*t)["a"].flags |= kLink;
    (*t)["li"].flags |= kListItem;
    (*t)["table"].flags |= kTable;
    for (int h = 1; h <= 6; ++h)
      (*t)[std::array<std::string_view, 6>{"h1", "h2", "h3", "h4", "h5", "h6"}[h - 1]].heading = h;
    return t;
  }();
  const auto it = table->find(name);
  return it == table->end() ? TagInfo{} : it->second;
}

// An attribute's value without copying it (libxml2 keeps it as a text node under the attribute).
std::string_view attr_value(const xmlAttr* a) {
  const xmlNode* c = a->children;
  if (c == nullptr || c->content == nullptr) return {};
  return reinterpret_cast<const char*>(c->content);
}

// The attributes the walk looks at, in one pass over the element's attributes.
struct Attrs {
  std::string_view cls, id, style, itemprop;
  bool hidden = false;
};

Attrs read_attrs(const xmlNode* n) {
  Attrs a;
  for (const xmlAttr* p = n->properties; p != nullptr; p = p->next) {
    const char* name = reinterpret_cast<const char*>(p->name);
    if (std::strcmp(name, "class") == 0) {
      a.cls = attr_value(p);
    } else if (std::strcmp(name, "id") == 0) {
      a.id = attr_value(p);
    } else if (std::strcmp(name, "style") == 0) {
      a.style = attr_value(p);
    } else if (std::strcmp(name, "itemprop") == 0) {
      a.itemprop = attr_value(p);
    } else if (std::strcmp(name, "hidden") == 0 || (std::strcmp(name, "aria-hidden") == 0 && attr_value(p) == "true")) {
      a.hidden = true;
    }
  }
  return a;
}

// The attribute's value, or "" (libxml2 allocates a copy).
std::string attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return {};
  std::string s(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return s;
}

// ---- class and id hints ------------------------------------------------------------------------

bool word_starts(const std::string& w, std::initializer_list<const char*> stems) {
  for (const char* s : stems) {
    if (w.compare(0, std::strlen(s), s) == 0) return true;
  }
  return false;
}

bool word_contains(const std::string& w, std::initializer_list<const char*> parts) {
  for (const char* s : parts) {
    if (w.find(s) != std::string::npos) return true;
  }
  return false;
}

// Class or id words that always name page furniture, whatever else the class says ("comment-body"):
// comments, sharing, related and recommended lists, newsletters, cookie notices, sidebars, footers,
// navigation, advertising.
bool is_strong_furniture_word(const std::string& w) {
  return word_contains(w,
                       {"comment", "disqus",  "share",    "sharing", "social",   "related", "recommend", "newsletter",
                        "subscri", "signup",  "cookie",   "consent", "gdpr",     "sidebar", "footer",    "breadcrumb",
                        "advert",  "sponsor", "outbrain", "taboola", "trending", "popular", "yarpp",     "paywall"}) ||
         w == "ad" || w == "ads" || w == "adv" || w == "nav" || w == "navbar" || w == "navigation" || w == "menu" ||
         word_starts(w, {"adslot", "adunit", "adwrap", "adcontainer", "navlink", "navmenu", "menuitem"});
}

// Class or id words that name furniture unless the class also names the article ("article-meta").
bool is_weak_furniture_word(const std::string& w) {
  return word_contains(
             w, {"masthead", "toolbar",  "pagination", "byline",         "author",       "dateline",  "timestamp",
                 "caption",  "credit",   "newsfeed",   "teaser",         "widget",       "banner",    "modal",
                 "popup",    "skiplink", "sronly",     "visuallyhidden", "screenreader", "offscreen", "print"}) ||
         w == "tags" || w == "tag" || w == "topics" || w == "foot" || w == "pager" || w == "skip" || w == "hidden" ||
         w == "meta" || w == "rss" || w == "login" || w == "more" || w == "header";
}

// Class or id words that name the article itself.
bool is_content_word(const std::string& w) {
  return word_contains(w, {"article", "content", "entry", "story", "post", "body", "text", "prose", "blog"}) ||
         w == "main";
}

enum class Hint { kNone, kFurniture, kContent };

// What the words of one class or id attribute name ("article-body relatedLinks" -> article, body,
// relatedlinks: lower case, split at anything that is not a letter or a digit).
struct HintWords {
  bool strong = false, weak = false, content = false;
};

HintWords hint_words(std::string_view v) {
  HintWords h;
  std::string w;
  const auto word = [&] {
    if (w.empty()) return;
    h.strong = h.strong || is_strong_furniture_word(w);
    h.weak = h.weak || is_weak_furniture_word(w);
    h.content = h.content || is_content_word(w);
    w.clear();
  };
  for (const char c : v) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      word();
    }
  }
  word();
  return h;
}

Hint combine(const HintWords& cls, const HintWords& id) {
  const bool strong = cls.strong || id.strong, weak = cls.weak || id.weak, content = cls.content || id.content;
  if (strong || (weak && !content)) return Hint::kFurniture;
  if (content) return Hint::kContent;
  return Hint::kNone;
}

bool is_hidden(const Attrs& a) {
  if (a.hidden) return true;
  if (a.style.empty()) return false;
  std::string style;
  for (const char c : a.style) {
    if (!std::isspace(static_cast<unsigned char>(c)))
      style += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return style.find("display:none") != std::string::npos || style.find("visibility:hidden") != std::string::npos;
}

// ---- the walk ----------------------------------------------------------------------------------

struct Block {
  std::string text;
  std::size_t chars = 0;       // code points that are not spaces
  std::size_t link_chars = 0;  // of which inside <a>
  std::uint32_t owner = 0;     // the innermost block element holding it
  int heading = 0;             // 1-6 inside <hN>
  bool in_list = false;
  bool in_table = false;
};

struct Element {
  std::uint32_t first = 0, last = 0;  // its blocks: [first, last)
  std::uint32_t parent = 0;           // index of the enclosing element (the root is its own parent)
  Hint hint = Hint::kNone;
  bool article_tag = false;      // <article>, <main> or itemprop=articleBody
  bool named_furniture = false;  // its tag, class or id names furniture
  bool furniture = false;        // named furniture, and not holding most of the page's prose
  double score = 0.0;            // see score_elements()
  double chars = 0.0;
  double prose = 0.0;
};

// Deeper than this the walk (which recurses) reads an element's text without its structure.
constexpr int kMaxWalkDepth = 500;

struct Context {
  int depth = 0;
  int links = 0;
  int heading = 0;
  bool in_list = false;
  bool in_table = false;
};

// The metadata fields a page states, each source kept apart so precedence is applied once at the end.
struct MetaTags {
  std::vector<std::pair<std::string, std::string>> named;  // <meta name|property=K content=V>, K lower case
  std::string title_tag;
  std::string canonical;
  std::string html_lang;
  std::vector<std::string> json_ld;
};

class Walker {
 public:
  explicit Walker(const HtmlOptions& options) : options_(options) {
    elements.push_back(Element{});  // the document: owner of text outside any block element
    stack_.push_back(0);
  }

  void walk(const xmlNode* n, Context ctx) {
    for (const xmlNode* c = n; c != nullptr; c = c->next) visit(c, ctx);
  }

  void finish() {
    flush(Context{});
    elements[0].last = static_cast<std::uint32_t>(blocks.size());
  }

  std::vector<Block> blocks;
  std::vector<Element> elements;  // in document order; a parent comes before its children
  MetaTags meta;
  std::size_t flattened = 0;  // elements past kMaxWalkDepth read by flatten()

 private:
  void visit(const xmlNode* n, Context ctx) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content != nullptr) append(reinterpret_cast<const char*>(n->content), ctx);
      return;
    }
    if (n->type != XML_ELEMENT_NODE || n->name == nullptr) return;
    if (ctx.depth >= kMaxWalkDepth) {
      flatten(n, ctx);
      return;
    }
    ++ctx.depth;
    const char* name = name_of(n);
    const TagInfo tag = tag_info(name);
    if ((tag.flags & kMetaTag) && collect_meta(n, name)) return;
    if (tag.flags & kSkip) return;
    const Attrs attrs = read_attrs(n);
    if (is_hidden(attrs)) return;
    const bool block = tag.flags & kBlock;
    if (block) flush(ctx);
    if (tag.flags & kBreak) return;
    if (tag.flags & kLink) ++ctx.links;
    if (tag.heading > 0) ctx.heading = tag.heading;
    if (tag.flags & kListItem) ctx.in_list = true;
    if (tag.flags & kTable) ctx.in_table = true;
    if (tag.flags & kCell) space_ = true;  // the cells of a row make one line
    if (!block) {
      if (n->children != nullptr) walk(n->children, ctx);
      return;
    }
    const auto index = static_cast<std::uint32_t>(elements.size());
    {
      Element e;
      e.parent = stack_.back();
      e.hint = cached_hint(attrs);
      e.article_tag = (tag.flags & kArticleTag) || attrs.itemprop == "articleBody";
      e.named_furniture = options_.main_content && !(tag.flags & kRoot) && !e.article_tag &&
                          ((tag.flags & kFurnitureTag) || e.hint == Hint::kFurniture);
      e.first = static_cast<std::uint32_t>(blocks.size());
      elements.push_back(e);
    }
    stack_.push_back(index);
    if (n->children != nullptr) walk(n->children, ctx);
    flush(ctx);
    stack_.pop_back();
    elements[index].last = static_cast<std::uint32_t>(blocks.size());
  }

  // The text under `top`, without recursion: each block element starts a new block, scripts and what the
  // walk skips are left out, the rest (inline markup) adds its text.
  void flatten(const xmlNode* top, const Context& ctx) {
    const xmlNode* n = top;
    while (n != nullptr) {
      bool down = false;
      if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content != nullptr) append(reinterpret_cast<const char*>(n->content), ctx);
      } else if (n->type == XML_ELEMENT_NODE && n->name != nullptr) {
        ++flattened;
        const TagInfo tag = tag_info(name_of(n));
        const bool skipped = (tag.flags & kSkip) || std::strcmp(name_of(n), "script") == 0 ||
                             std::strcmp(name_of(n), "title") == 0 || is_hidden(read_attrs(n));
        if (tag.flags & kBlock) flush(ctx);
        down = !skipped && n->children != nullptr;
      }
      if (down) {
        n = n->children;
        continue;
      }
      // Next in document order within `top`: the next sibling, else an ancestor's.
      while (n != top && n->next == nullptr) n = n->parent;
      if (n == top) break;
      n = n->next;
    }
  }

  // Reads <meta>, <link>, <title>, JSON-LD and <html lang>; true when the element holds nothing else.
  bool collect_meta(const xmlNode* n, const char* name) {
    if (std::strcmp(name, "meta") == 0) {
      std::string key = attr(n, "property");
      if (key.empty()) key = attr(n, "name");
      if (key.empty()) key = attr(n, "itemprop");
      const std::string value = attr(n, "content");
      if (!key.empty() && !value.empty() && meta.named.size() < 1000)
        meta.named.emplace_back(text::ascii_lower(key), value);
      return true;
    }
    if (std::strcmp(name, "link") == 0) {
      if (meta.canonical.empty() && text::ascii_lower(attr(n, "rel")) == "canonical") meta.canonical = attr(n, "href");
      return true;
    }
    if (std::strcmp(name, "title") == 0) {
      if (meta.title_tag.empty()) meta.title_tag = node_text(n);
      return true;
    }
    if (std::strcmp(name, "script") == 0) {
      if (text::ascii_lower(attr(n, "type")).find("ld+json") != std::string::npos && meta.json_ld.size() < 32)
        meta.json_ld.push_back(node_text(n));
      return true;
    }
    if (std::strcmp(name, "html") == 0 && meta.html_lang.empty()) meta.html_lang = attr(n, "lang");
    return false;
  }

  static std::string node_text(const xmlNode* n) {
    std::string out;
    for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
      if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr)
        out += reinterpret_cast<const char*>(c->content);
    }
    return out;
  }

  void append(const char* s, const Context& ctx) {
    for (; *s != '\0'; ++s) {
      const auto c = static_cast<unsigned char>(*s);
      const bool nbsp = c == 0xC2 && static_cast<unsigned char>(s[1]) == 0xA0;
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || nbsp) {
        if (nbsp) ++s;
        space_ = true;
        continue;
      }
      if (space_ && !buf_.empty()) buf_ += ' ';
      space_ = false;
      buf_ += static_cast<char>(c);
      if ((c & 0xC0) != 0x80) {
        ++chars_;
        if (ctx.links > 0) ++link_chars_;
      }
    }
  }

  void flush(const Context& ctx) {
    if (chars_ > 0) {
      Block b;
      b.text = std::move(buf_);
      b.chars = chars_;
      b.link_chars = link_chars_;
      b.owner = stack_.back();
      b.heading = ctx.heading;
      b.in_list = ctx.in_list;
      b.in_table = ctx.in_table;
      blocks.push_back(std::move(b));
    }
    buf_.clear();
    chars_ = link_chars_ = 0;
    space_ = false;
  }

  // Pages repeat the same few class names thousands of times: judge each value once.
  HintWords cached_words(std::string_view v) {
    if (v.empty()) return {};
    key_.assign(v);
    const auto it = hints_.find(key_);
    if (it != hints_.end()) return it->second;
    const HintWords h = hint_words(v);
    if (hints_.size() < 100000) hints_.emplace(key_, h);
    return h;
  }
  Hint cached_hint(const Attrs& a) { return combine(cached_words(a.cls), cached_words(a.id)); }

  const HtmlOptions& options_;
  std::unordered_map<std::string, HintWords> hints_;
  std::string key_;
  std::vector<std::uint32_t> stack_;
  std::string buf_;
  std::size_t chars_ = 0, link_chars_ = 0;
  bool space_ = false;
};

// ---- main content ------------------------------------------------------------------------------

double link_density(const Block& b) { return static_cast<double>(b.link_chars) / static_cast<double>(b.chars); }

// Mostly links: a menu, a list of related articles, tags.
bool is_link_text(const Block& b) { return link_density(b) >= 0.5; }

// ASCII or CJK (、 。 ， ！ ？) punctuation.
bool has_sentence_punctuation(const std::string& t) {
  return t.find_first_of(".,;:!?") != std::string::npos || t.find("\xE3\x80\x81") != std::string::npos ||
         t.find("\xE3\x80\x82") != std::string::npos || t.find("\xEF\xBC\x8C") != std::string::npos ||
         t.find("\xEF\xBC\x81") != std::string::npos || t.find("\xEF\xBC\x9F") != std::string::npos;
}

// Text that reads as prose: enough words (or, in scripts written without spaces, characters), few of
// them links, some punctuation.
bool is_prose(const Block& b) {
  if (b.heading > 0 || link_density(b) >= 0.35 || !has_sentence_punctuation(b.text)) return false;
  const std::size_t words = text::word_count(b.text);
  return words >= 10 || (b.chars >= 40 && b.chars > 15 * words);
}

// What a block adds to the score of an element that holds it: prose counts for itself, links against,
// short lines a little against.
double weight(const Block& b) {
  const auto c = static_cast<double>(b.chars);
  const double ld = link_density(b);
  if (is_link_text(b)) return -c;
  if (b.heading > 0) return 0.0;
  if (is_prose(b)) return c * (1.0 - ld);
  if (b.in_table) return 0.0;  // a row of a data table
  return -0.5 * c;
}

// Each element's score: the weights of the blocks it holds, where a furniture element below it counts
// all its text against it. An element named furniture that holds most of the page's prose is not
// furniture (a layout wrapper called "page-with-sidebar"). Children come after their parent in
// `elements`, so one backward pass adds each child into its parent.
void score_elements(const std::vector<Block>& blocks, std::vector<Element>& elements) {
  for (auto& e : elements) e.score = e.chars = e.prose = 0.0;
  for (const Block& b : blocks) {
    elements[b.owner].score += weight(b);
    elements[b.owner].chars += static_cast<double>(b.chars);
    if (is_prose(b)) elements[b.owner].prose += static_cast<double>(b.chars);
  }
  for (std::size_t i = elements.size(); i-- > 1;) {
    Element& p = elements[elements[i].parent];
    p.prose += elements[i].prose;
  }
  const double total = elements[0].prose;
  for (auto& e : elements) e.furniture = e.named_furniture && e.prose < 0.6 * total;
  for (std::size_t i = elements.size(); i-- > 1;) {
    Element& e = elements[i];
    Element& p = elements[e.parent];
    p.score += e.furniture ? -e.chars : e.score;
    p.chars += e.chars;
  }
}

constexpr double kClimbProse = 1.5;
constexpr double kClimbScore = 0.3;

// The element whose blocks score highest: the smallest one holding the article's prose and as little
// else as possible.
std::uint32_t best_element(const std::vector<Element>& elements) {
  std::uint32_t best = 0;
  double best_score = 0.0;
  std::vector<bool> in_furniture(elements.size(), false);
  for (std::uint32_t i = 1; i < elements.size(); ++i) {
    const Element& e = elements[i];
    in_furniture[i] = e.furniture || in_furniture[e.parent];
    if (in_furniture[i]) continue;
    double s = e.score;
    if (e.hint == Hint::kContent || e.article_tag) s *= 1.1;
    if (s > best_score) {
      best_score = s;
      best = i;
    }
  }
  // Prose the winner misses close by (an article split around a box of links): climb while the parent
  // holds clearly more prose and still scores well.
  while (best != 0) {
    const Element& e = elements[best];
    const Element& p = elements[e.parent];
    if (in_furniture[e.parent] || p.prose < kClimbProse * e.prose || p.score < kClimbScore * e.score) break;
    best = e.parent;
  }
  return best;
}

// Is block `b` inside a furniture element below element `top`?
bool under_furniture(const std::vector<Block>& blocks, const std::vector<Element>& elements, std::size_t b,
                     std::uint32_t top) {
  for (std::uint32_t e = blocks[b].owner; e != top && e != 0; e = elements[e].parent) {
    if (elements[e].furniture) return true;
  }
  return false;
}

std::vector<TextBlock> all_blocks(const std::vector<Block>& blocks) {
  std::vector<TextBlock> out;
  for (const Block& b : blocks) out.push_back({b.heading > 0 ? BlockKind::kHeading : BlockKind::kParagraph, b.text});
  return out;
}

// A page where no element holds prose (a press release, a poem, a list of short statements, a table):
// its text without link lists and without what named furniture holds (nav, footer, menus), unless that
// element holds most of the page's text (a wrapper called "page-with-sidebar"). Never drops a page the
// prose rule found nothing in (rt11j row 4); drop_web_furniture() then takes the furniture lines.
std::vector<TextBlock> page_text(const std::vector<Block>& blocks, const std::vector<Element>& elements) {
  const double total = elements[0].chars;
  std::vector<TextBlock> out;
  for (const Block& b : blocks) {
    if (is_link_text(b)) continue;
    bool furniture = false;
    for (std::uint32_t e = b.owner; e != 0 && !furniture; e = elements[e].parent)
      furniture = elements[e].named_furniture && elements[e].chars < 0.6 * total;
    if (!furniture) out.push_back({b.heading > 0 ? BlockKind::kHeading : BlockKind::kParagraph, b.text});
  }
  return out;
}

std::vector<TextBlock> main_content(const std::vector<Block>& blocks, std::vector<Element>& elements) {
  std::vector<TextBlock> out;
  score_elements(blocks, elements);
  const std::uint32_t top = best_element(elements);
  const Element& best = elements[top];
  if (std::getenv("QUIRE_HTML_DEBUG")) {
    for (std::size_t i = 0; i < blocks.size(); ++i)
      std::fprintf(stderr, "%s%4zu w%7.0f ld%.2f h%d f%d | %.100s\n", i >= best.first && i < best.last ? "*" : " ", i,
                   weight(blocks[i]), link_density(blocks[i]), blocks[i].heading,
                   under_furniture(blocks, elements, i, top), blocks[i].text.c_str());
  }
  if (best.score <= 0.0) return page_text(blocks, elements);
  // Within it: no furniture, no link lists; short lines before the first and after the last prose go.
  std::uint32_t first = best.last, last = best.first;
  for (std::uint32_t i = best.first; i < best.last; ++i) {
    if (is_prose(blocks[i]) && !under_furniture(blocks, elements, i, top)) {
      first = std::min(first, i);
      last = i + 1;
    }
  }
  for (std::uint32_t i = best.first; i < best.last; ++i) {
    const Block& b = blocks[i];
    if (is_link_text(b) || under_furniture(blocks, elements, i, top)) continue;
    if ((i < first || i >= last) && !is_prose(b) && !(b.heading > 0 && i < first)) continue;
    out.push_back({b.heading > 0 ? BlockKind::kHeading : BlockKind::kParagraph, b.text});
  }
  return out.empty() ? page_text(blocks, elements) : out;
}

// ---- metadata ----------------------------------------------------------------------------------

bool looks_like_url(const std::string& s) { return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0; }

// A metadata value (a meta tag's content, JSON-LD, the <title>): C0 controls removed, as libxml2
// already removes them from a <title>'s text, so a citation_title with ESC is stored like the same
// <title>; then white space squeezed. Bidi controls are kept (the text may be right-to-left): every
// output neutralises them.
std::string clean_value(const std::string& s) { return text::squeeze_spaces(without_c0_controls(s)); }

// "Family, Given" (as citation_author writes it) -> "Given Family"; "By Jane Roe" -> "Jane Roe".
std::string person_name(std::string s) {
  s = clean_value(s);
  if (text::ascii_lower(s.substr(0, 3)) == "by ") s = text::trim(s.substr(3));
  const std::size_t comma = s.find(',');
  if (comma != std::string::npos && s.find(',', comma + 1) == std::string::npos && text::word_count(s) <= 4)
    s = text::trim(s.substr(comma + 1)) + " " + text::trim(s.substr(0, comma));
  return s;
}

void add_author(std::vector<std::string>& authors, const std::string& raw) {
  const std::string a = person_name(raw);
  if (a.empty() || looks_like_url(a) || a.size() > 200) return;
  if (std::find(authors.begin(), authors.end(), a) == authors.end()) authors.push_back(a);
}

bool is_article_type(const nlohmann::json& t) {
  const auto one = [](const std::string& s) {
    return s.size() >= 7 && s.compare(s.size() - 7, 7, "Article") == 0
               ? true
               : s == "BlogPosting" || s == "Report" || s == "LiveBlogPosting";
  };
  if (t.is_string()) return one(t.get<std::string>());
  if (t.is_array()) {
    for (const auto& x : t) {
      if (x.is_string() && one(x.get<std::string>())) return true;
    }
  }
  return false;
}

std::string json_string(const nlohmann::json& j) {
  if (j.is_string()) return clean_value(j.get<std::string>());
  if (j.is_object() && j.contains("name")) return json_string(j["name"]);
  if (j.is_array() && !j.empty()) return json_string(j[0]);
  return {};
}

struct JsonLdArticle {
  bool found = false;
  std::string title, date, publisher, url, container, type;
  std::vector<std::string> authors;
};

void find_articles(const nlohmann::json& j, JsonLdArticle& a, int depth) {
  if (depth > 8 || a.found) return;
  if (j.is_array()) {
    for (const auto& x : j) find_articles(x, a, depth + 1);
    return;
  }
  if (!j.is_object()) return;
  if (j.contains("@type") && is_article_type(j["@type"])) {
    a.found = true;
    if (j.contains("headline")) a.title = json_string(j["headline"]);
    if (a.title.empty() && j.contains("name")) a.title = json_string(j["name"]);
    if (j.contains("datePublished")) a.date = json_string(j["datePublished"]);
    if (a.date.empty() && j.contains("dateCreated")) a.date = json_string(j["dateCreated"]);
    if (j.contains("publisher")) a.publisher = json_string(j["publisher"]);
    if (j.contains("url")) a.url = json_string(j["url"]);
    if (j.contains("isPartOf")) a.container = json_string(j["isPartOf"]);
    const auto& t = j["@type"];
    const std::string type = t.is_string() ? t.get<std::string>() : "";
    a.type = type == "ScholarlyArticle" ? "journal-article" : "article";
    if (j.contains("author")) {
      const auto& au = j["author"];
      if (au.is_array()) {
        for (const auto& x : au) add_author(a.authors, json_string(x));
      } else {
        add_author(a.authors, json_string(au));
      }
    }
    return;
  }
  if (j.contains("@graph")) find_articles(j["@graph"], a, depth + 1);
}

JsonLdArticle read_json_ld(const std::vector<std::string>& scripts) {
  JsonLdArticle a;
  for (std::string s : scripts) {
    // Deeper than kMaxJsonDepth, JSON-LD is not metadata but an attack on the parser (its recursion).
    if (json_depth(s) > kMaxJsonDepth) continue;
    // Pages put raw line breaks and tabs inside JSON strings; as spaces they parse.
    for (char& c : s) {
      if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    const nlohmann::json j = nlohmann::json::parse(s, nullptr, false);
    if (j.is_discarded()) continue;
    find_articles(j, a, 0);
    if (a.found) break;
  }
  return a;
}

// The first value of the first key in `keys` that the page states.
std::string first_named(const MetaTags& m, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    for (const auto& [key, value] : m.named) {
      if (key == k) {
        std::string v = clean_value(value);
        if (!v.empty()) return v;
      }
    }
  }
  return {};
}

std::vector<std::string> all_named(const MetaTags& m, const char* key) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m.named) {
    if (k == key) add_author(out, v);
  }
  return out;
}

DocumentMeta page_metadata(const MetaTags& m) {
  DocumentMeta meta;
  const JsonLdArticle ld = read_json_ld(m.json_ld);
  const auto pick = [](std::initializer_list<std::string> values) {
    for (const auto& v : values) {
      if (!v.empty()) return v;
    }
    return std::string();
  };
  const std::string og_site = first_named(m, {"og:site_name"});
  std::string title_tag = clean_value(m.title_tag);
  // "Headline | Site" -> "Headline" when the site is named.
  if (!og_site.empty()) {
    for (const char* sep : {" | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " :: "}) {
      const std::string suffix = sep + og_site;
      if (title_tag.size() > suffix.size() &&
          title_tag.compare(title_tag.size() - suffix.size(), suffix.size(), suffix) == 0)
        title_tag.resize(title_tag.size() - suffix.size());
    }
  }
  meta.title = pick({ld.title, first_named(m, {"citation_title"}), first_named(m, {"dc.title", "dcterms.title"}),
                     first_named(m, {"og:title", "twitter:title"}), title_tag});
  meta.authors = ld.authors;
  for (const char* key : {"citation_author", "dc.creator", "dcterms.creator", "article:author", "author",
                          "parsely-author", "sailthru.author"}) {
    if (!meta.authors.empty()) break;
    meta.authors = all_named(m, key);
  }
  const std::string date =
      pick({ld.date, first_named(m, {"citation_publication_date", "citation_date", "citation_online_date"}),
            first_named(m, {"dc.date", "dcterms.date", "dcterms.issued", "dc.date.issued", "dcterms.created"}),
            first_named(m, {"article:published_time", "og:article:published_time", "pubdate", "publishdate", "date",
                            "parsely-pub-date", "sailthru.date"})});
  meta.date = normalise_page_date(date);
  meta.publisher = pick({ld.publisher, first_named(m, {"citation_publisher"}),
                         first_named(m, {"dc.publisher", "dcterms.publisher"}), og_site});
  meta.container = pick({first_named(m, {"citation_journal_title"}), ld.container});
  if (meta.container == meta.publisher) meta.container.clear();
  meta.volume = first_named(m, {"citation_volume"});
  meta.issue = first_named(m, {"citation_issue"});
  const std::string fp = first_named(m, {"citation_firstpage"}), lp = first_named(m, {"citation_lastpage"});
  meta.pages = fp.empty() ? "" : lp.empty() || lp == fp ? fp : fp + "-" + lp;
  const std::string canonical = clean_value(m.canonical);
  meta.url = pick({looks_like_url(canonical) ? canonical : "", first_named(m, {"og:url"}),
                   looks_like_url(ld.url) ? ld.url : "", canonical});
  meta.type = pick({ld.type, first_named(m, {"citation_journal_title"}).empty() ? "" : "journal-article"});
  // The language's primary subtag ("en-US" -> "en").
  std::string lang = text::ascii_lower(m.html_lang.substr(0, m.html_lang.find_first_of("-_")));
  if (lang.size() >= 2 && lang.size() <= 3 &&
      std::all_of(lang.begin(), lang.end(), [](unsigned char c) { return std::isalpha(c); }))
    meta.language = lang;
  for (std::string* s : {&meta.title, &meta.publisher, &meta.container}) {
    if (s->size() > 1000) s->resize(0);
  }
  return meta;
}

bool valid_ymd(int y, int mo, int d) { return y >= 1000 && y <= 2999 && mo >= 1 && mo <= 12 && d >= 0 && d <= 31; }

// Cuts every run of more than kLongestWordKept non-space bytes (of alphabetic scripts) to that length (at a code point)
// and marks the cut with "…", as the text cleaner does; returns how many were cut.
std::size_t shorten_long_words(std::string& t) {
  std::string out;
  std::size_t cut = 0;
  for (std::size_t i = 0; i < t.size();) {
    std::size_t end = t.find(' ', i);
    if (end == std::string::npos) end = t.size();
    // Scripts written without spaces (Chinese, Japanese, Thai) make long runs that are sentences,
    // not words: only runs of one- and two-byte characters are cut.
    const bool spaceless_script =
        std::any_of(t.begin() + static_cast<std::ptrdiff_t>(i), t.begin() + static_cast<std::ptrdiff_t>(end),
                    [](char c) { return static_cast<unsigned char>(c) >= 0xE0; });
    if (end - i > kLongestWordKept && !spaceless_script) {
      std::size_t keep = kLongestWordKept;
      while (keep > 0 && (static_cast<unsigned char>(t[i + keep]) & 0xC0) == 0x80) --keep;
      out.append(t, i, keep);
      out += "\xE2\x80\xA6";
      ++cut;
    } else {
      out.append(t, i, end - i);
    }
    if (end < t.size()) out += ' ';
    i = end + 1;
  }
  if (cut > 0) t = std::move(out);
  return cut;
}

std::once_flag libxml_init;

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

// Copies `bytes` without the internal subset of a leading <!DOCTYPE name ... [ ... ]> into `out`; false
// (and `out` untouched) when there is none. Quoted strings and comments inside the subset may hold
// ']' and '>'.
bool strip_internal_subset(std::string_view bytes, std::string& out) {
  const std::string_view head = bytes.substr(0, 4096);
  std::size_t at = std::string_view::npos;
  for (std::size_t i = head.find('<'); i != std::string_view::npos; i = head.find('<', i + 1)) {
    if (i + 9 <= head.size() && text::ascii_lower(head.substr(i, 9)) == "<!doctype") {
      at = i;
      break;
    }
  }
  if (at == std::string_view::npos) return false;
  std::size_t i = at + 9;
  char quote = 0;
  for (; i < bytes.size(); ++i) {  // to the subset's '[', or the doctype's end
    const char c = bytes[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return false;
    } else if (c == '[') {
      break;
    }
  }
  if (i >= bytes.size()) return false;
  const std::size_t open = i;
  quote = 0;
  for (++i; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (bytes.compare(i, 4, "<!--") == 0) {
      const std::size_t e = bytes.find("-->", i + 4);
      if (e == std::string_view::npos) return false;
      i = e + 2;
    } else if (c == ']') {
      break;
    }
  }
  if (i >= bytes.size()) return false;  // no end: leave it to the parser
  out.reserve(bytes.size());
  out.assign(bytes.substr(0, open));
  out.append(bytes.substr(i + 1));
  return true;
}

}  // namespace

std::string normalise_page_date(std::string_view s) {
  std::string t = text::trim(s);
  const auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > t.size()) return -1;
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  const int y = digits(0, 4);
  if (y > 0) {
    char buf[16];
    const bool sep = t.size() > 4 && (t[4] == '-' || t[4] == '/' || t[4] == '.');
    const int mo = sep ? digits(5, 2) : digits(4, 2);
    const std::size_t after_month = sep ? 7 : 6;
    const bool sep2 = sep && t.size() > 7 && t[7] == t[4];
    const int d = sep2 ? digits(8, 2) : (!sep ? digits(6, 2) : -1);
    if (mo > 0 && d > 0 && valid_ymd(y, mo, d)) {
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
      return buf;
    }
    if (mo > 0 && valid_ymd(y, mo, 0) &&
        (t.size() == after_month || !std::isdigit(static_cast<unsigned char>(t[after_month])))) {
      std::snprintf(buf, sizeof buf, "%04d-%02d", y, mo);
      return buf;
    }
    if (t.size() == 4 && valid_ymd(y, 1, 0)) return t;
    if (sep || t.size() == 8) return {};  // an ISO-like date that is not one ("2019-13-45")
  }
  if (t.size() > 200) t.resize(200);
  for (const auto& m : extract_dates(t)) {
    if (m.from == m.to) return m.from;
  }
  return {};
}

std::string declared_charset(std::string_view bytes) {
  std::string head = text::ascii_lower(bytes.substr(0, 8192));
  if (const std::size_t end = head.find("</head"); end != std::string::npos) head.resize(end);
  // The value after an attribute's name ending before `at`, quoted or not; "" when no "=" follows.
  const auto value_after = [&head](std::size_t at, std::size_t limit) -> std::string {
    std::size_t i = at;
    while (i < limit && std::isspace(static_cast<unsigned char>(head[i]))) ++i;
    if (i >= limit || head[i] != '=') return {};
    ++i;
    while (i < limit && (std::isspace(static_cast<unsigned char>(head[i])) || head[i] == '"' || head[i] == '\'')) ++i;
    std::size_t e = i;
    while (e < limit && !std::isspace(static_cast<unsigned char>(head[e])) && std::strchr("\"';>/", head[e]) == nullptr)
      ++e;
    return head.substr(i, e - i);
  };
  const std::size_t start = head.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  if (start != std::string::npos && head.compare(start, 5, "<?xml") == 0) {
    const std::size_t end = std::min(head.find("?>", start), head.size());
    if (const std::size_t e = head.find("encoding", start); e < end)
      if (std::string v = value_after(e + 8, end); !v.empty()) return v;
  }
  for (std::size_t i = 0; (i = head.find('<', i)) != std::string::npos; ++i) {
    if (head.compare(i, 4, "<!--") == 0) {
      i = head.find("-->", i + 4);
      if (i == std::string::npos) break;
      continue;
    }
    if (head.compare(i, 5, "<meta") != 0 || i + 5 >= head.size() ||
        !std::isspace(static_cast<unsigned char>(head[i + 5])))
      continue;
    const std::size_t end = std::min(head.find('>', i), head.size());
    const std::string_view tag = std::string_view(head).substr(i, end - i);
    const bool content_type =
        tag.find("http-equiv") != std::string_view::npos && tag.find("content-type") != std::string_view::npos;
    for (std::size_t c = tag.find("charset"); c != std::string_view::npos; c = tag.find("charset", c + 7)) {
      // `charset=` as an attribute, or inside the content of a Content-Type http-equiv
      char quote = 0;  // whether `charset` is inside a quoted value
      for (std::size_t k = 0; k < c; ++k)
        if (quote != 0 ? tag[k] == quote : (tag[k] == '"' || tag[k] == '\'')) quote = quote != 0 ? 0 : tag[k];
      const bool attribute = quote == 0 && std::isspace(static_cast<unsigned char>(tag[c - 1]));
      if (!attribute && !content_type) continue;
      if (std::string v = value_after(i + c + 7, end); !v.empty()) return v;
    }
  }
  return {};
}

HtmlContent extract_html(std::string_view bytes, const HtmlOptions& options) {
  HtmlContent out;
  std::call_once(libxml_init, [] { xmlInitParser(); });
  if (bytes.empty()) return out;
  // Decoded here, by the one policy of every reader (decode_text(): UTF-16 or UTF-32 with or without a
  // byte order mark, which libxml2 recognises neither from "<\0h\0"; Windows-1252 for an undeclared single-byte page,
  // where libxml2 would read Latin-1 and store C1 controls; a stray bad byte replaced in a UTF-8 page,
  // where libxml2 would read the whole page as Latin-1), then given to libxml2 as UTF-8. Only a charset
  // decode_text() does not know is left to libxml2 (iconv), by the page's own declaration.
  std::string decoded;
  const Charset declared = charset_of_label(declared_charset(bytes));
  bool utf8 = true;
  if (declared == Charset::kOther && !is_valid_utf8(bytes) && wide_form(bytes).form == WideForm::kNone) {
    utf8 = false;
  } else {
    DecodedText d = decode_text(bytes, declared);
    if (!d.note.empty() && d.note.rfind("read as UTF-", 0) != 0)
      out.notes.push_back(declared == Charset::kUndeclared && d.note.rfind("not UTF-8", 0) == 0
                              ? "not UTF-8 and no charset declared: read as Windows-1252, as browsers do"
                              : d.note);
    decoded = std::move(d.text);
    bytes = decoded;
  }
  // A DTD's internal subset (EPUB chapters carry entity declarations in one) is not text; libxml2's
  // HTML parser would end the doctype at the subset's first '>' and read the rest as text.
  std::string without_subset;
  if (strip_internal_subset(bytes, without_subset)) bytes = without_subset;
  const int size = static_cast<int>(std::min<std::size_t>(bytes.size(), INT_MAX));
  // XML_PARSE_HUGE (which the HTML parser honours) lifts libxml2's limits of 256 levels of nesting and 10 MB per text
  // node, past which it stops and drops the rest of the page. Our own bounds hold instead: the file size
  // (--max-file-mb), and the walk below reads what is nested deeper than kMaxWalkDepth as flat text.
  const int flags = HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_RECOVER |
                    HTML_PARSE_COMPACT | HTML_PARSE_NOBLANKS | XML_PARSE_HUGE | (utf8 ? HTML_PARSE_IGNORE_ENC : 0);
  std::unique_ptr<htmlParserCtxt, CtxtFree> ctxt(htmlNewParserCtxt());
  if (!ctxt) throw std::bad_alloc();
  std::unique_ptr<xmlDoc, DocFree> doc(
      htmlCtxtReadMemory(ctxt.get(), bytes.data(), size, nullptr, utf8 ? "UTF-8" : nullptr, flags));
  // A parser that stopped early (out of memory, or a limit libxml2 keeps even so) has dropped the rest of
  // the page: said, never silent.
  if (ctxt->disableSAX != 0 || static_cast<std::size_t>(size) < bytes.size()) {
    std::string why = ctxt->lastError.message != nullptr ? text::trim(ctxt->lastError.message) : "";
    if (static_cast<std::size_t>(size) < bytes.size()) why = "the file is larger than 2 GB";
    out.notes.push_back("the HTML parser stopped before the end of the file" + (why.empty() ? "" : " (" + why + ")") +
                        ": text after that point is missing");
  }
  if (!doc) return out;
  Walker w(options);
  if (const xmlNode* root = xmlDocGetRootElement(doc.get())) w.walk(root, Context{});
  w.finish();
  if (w.flattened > 0)
    out.notes.push_back(std::to_string(w.flattened) + " element(s) nested deeper than " +
                        std::to_string(kMaxWalkDepth) + " levels: their text is read as plain paragraphs");
  out.meta = page_metadata(w.meta);
  std::vector<TextBlock> blocks = options.main_content ? main_content(w.blocks, w.elements) : all_blocks(w.blocks);
  // The headline, already the title, is not body text.
  if (!blocks.empty() && blocks.front().kind == BlockKind::kHeading && !out.meta.title.empty() &&
      (blocks.front().text == out.meta.title || out.meta.title.find(blocks.front().text) != std::string::npos))
    blocks.erase(blocks.begin());
  std::size_t repaired = 0, shortened = 0;
  for (auto& b : blocks) {
    if (!is_valid_utf8(b.text)) {
      Utf8Repair r = repair_utf8(b.text);
      repaired += r.replaced;
      b.text = std::move(r.text);
    }
    if (b.text.size() > kLongestWordKept) shortened += shorten_long_words(b.text);
  }
  if (repaired > 0)
    out.notes.push_back(std::to_string(repaired) + " invalid UTF-8 byte sequence(s) replaced with U+FFFD");
  if (shortened > 0)
    out.notes.push_back(std::to_string(shortened) + " word(s) longer than " + std::to_string(kLongestWordKept) +
                        " bytes shortened (words that long cannot be searched)");
  FurnitureOptions fo;
  fo.navigation_stubs = !options.main_content;
  if (options.main_content) drop_web_furniture(blocks, fo);
  out.blocks = std::move(blocks);
  return out;
}

ReadResult read_html_document(const std::string& path, const std::string& bytes) {
  HtmlContent c = extract_html(bytes);
  ReadResult r;
  r.warnings = std::move(c.notes);
  Document& doc = r.document;
  doc.meta = std::move(c.meta);
  doc.meta.id = document_id_from_path(path, &r.warnings);
  doc.meta.path = path_text(path);
  if (append_sections(std::move(c.blocks), doc.sections) == 0)
    throw InputError(path, "no text to index (an HTML page with no readable body text)");
  return r;
}

}  // namespace quire
