// Quotations and their speakers.
#include <catch2/catch.hpp>

#include "quire/quotes.h"
#include "support.h"

namespace {

const quire::Gazetteer& gazetteer() {
  static const quire::Gazetteer g = quire::Gazetteer::load(quire::test::source_dir() + "/schemas/actors.xml");
  return g;
}

const quire::SpeakerRules& rules() {
  static const quire::SpeakerRules r = quire::SpeakerRules::load(quire::test::source_dir() + "/schemas/speakers.xml");
  return r;
}

// "text=speaker" for each quote of a one-passage document; "(scare)" for scare quotes.
std::string quotes_in(const std::vector<std::string>& passages, int year = 0) {
  const auto mentions = gazetteer().tag(passages, year);
  const auto quotes = quire::find_quotes(passages, mentions, gazetteer(), rules(), year);
  std::string out;
  for (const auto& q : quotes.back()) {
    out += out.empty() ? "" : " | ";
    out += q.text + "=" + (q.scare ? "(scare)" : q.speaker.empty() ? q.speaker_name : q.speaker);
  }
  return out;
}

}  // namespace

TEST_CASE("quotes are found and attributed to who the sentence says", "[quotes]") {
  struct Case {
    std::vector<std::string> passages;
    std::string quotes;
  };
  const Case cases[] = {
      {{"Defence Minister Khawaja Asif described the relationship as \xE2\x80\x9Ctransactional or "
        "flirtatious\xE2\x80\x9D, he said."},
       "transactional or flirtatious=khawaja-asif"},
      {{"President Xi Jinping called Pakistan a \"good neighbour, good friend\" in June."},
       "good neighbour, good friend=xi-jinping"},
      {{"Its \xE2\x80\x98"
        "all-weather\xE2\x80\x99 partner and China\xE2\x80\x99s support."},
       "all-weather=(scare)"},
      {{"Trump said he was \xE2\x80\x9Choudoured\xE2\x80\x9D to meet Munir and claimed he had \xE2\x80\x9Cstopped the "
        "war\xE2\x80\x9D."},
       "houdoured=(scare) | stopped the war=donald-trump"},
      {{"\xE2\x80\x9CWe will not accept this plan,\xE2\x80\x9D said Foreign Minister Ishaq Dar."},
       "We will not accept this plan,=ishaq-dar"},
      {{"Security analyst Umair Aslam highlighted that \xE2\x80\x9C"
        "Counterterrorism is a major domain\xE2\x80\x9D."},
       "Counterterrorism is a major domain=umair-aslam"},
      {{"Xi Jinping met the press.", "He said that \xE2\x80\x9Cthe corridor is vital to us\xE2\x80\x9D."},
       "the corridor is vital to us=xi-jinping"},  // "he": the one person named before
      {{"Xi Jinping met Donald Trump.", "He said that \xE2\x80\x9Cthe corridor is vital to us\xE2\x80\x9D."},
       "the corridor is vital to us="},  // two people before: not resolved
      {{"Jane Roe said that \xE2\x80\x9Cthe talks will resume soon\xE2\x80\x9D."},
       "the talks will resume soon=Jane Roe"},
      {{"The report says \xE2\x80\x9Cthe economy is growing fast\xE2\x80\x9D."}, "the economy is growing fast="},
      {{"Pakistan\xE2\x80\x99s army and the country\xE2\x80\x99s navy"}, ""},  // apostrophes are not quotes
  };
  for (const auto& c : cases) {
    CAPTURE(c.passages);
    CHECK(quotes_in(c.passages) == c.quotes);
  }
}
