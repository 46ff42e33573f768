// Authors' names in the exports (issue 17, item 7): honorifics are no given names, particles stay with
// the family name, degrees after a comma are dropped. Real names from corpus/ and the UNGDC speakers list.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "quire/exports.h"

TEST_CASE("split_name: honorifics dropped, particles kept with the family name", "[exports][names]") {
  struct Case {
    const char* name;
    const char* family;
    const char* given;
  };
  const Case cases[] = {
      // corpus/
      {"Sameer P. Lalwani", "Lalwani", "Sameer P."},
      {"Priya Naik", "Naik", "Priya"},
      {"Sarral Sharma", "Sharma", "Sarral"},
      // UNGDC speakers (speakers_by_session.tsv)
      {"Mr. Zulfikar Ali BHUTTO", "BHUTTO", "Zulfikar Ali"},
      {"Dr. Mahathir Mohamad", "Mohamad", "Mahathir"},
      {"Dr. Bernard R. Bot", "Bot", "Bernard R."},
      {"Dr. João Bernardo de MIRANDA", "de MIRANDA", "João Bernardo"},
      {"Dr. Lotay Tshering, MBBS, MD", "Tshering", "Lotay"},
      {"H.E. Mr. Abdullah Gül", "Gül", "Abdullah"},
      {"H.E. Sheikh Tamim bin Hamad Al-Thani", "Al-Thani", "Tamim bin Hamad"},
      {"Sheikh Sabah Al-Ahmad Al-Jaber Al-Sabah", "Al-Sabah", "Sabah Al-Ahmad Al-Jaber"},
      {"Mr. Al-Khalifa", "Al-Khalifa", ""},
      {"van den BROEK", "van den BROEK", ""},
      {"Hans van den Broek", "van den Broek", "Hans"},
      {"Carlos Salinas de Gortari", "de Gortari", "Carlos Salinas"},
      {"Alexander de Croo", "de Croo", "Alexander"},
      {"Antonio Martins da Cruz", "da Cruz", "Antonio Martins"},
      {"Assuncao Afonso dos Anjos", "dos Anjos", "Assuncao Afonso"},
      {"Mahathir bin Mohamad", "bin Mohamad", "Mahathir"},
      {"Abdel Fattah Al Sisi", "Al Sisi", "Abdel Fattah"},
      {"King Abdullah II Bin Al Hussein", "Bin Al Hussein", "Abdullah II"},
      {"Abdullah II ibn Al Hussein", "ibn Al Hussein", "Abdullah II"},
      {"Crown Prince Al Hussein bin Abdullah II", "bin Abdullah II", "Al Hussein"},
      {"Dato' Sri Mohd Najib bin Tun Haji Abdul Razak", "Razak", "Mohd Najib bin Tun Haji Abdul"},
      {"El Haj Omar Bongo Ondimba", "Ondimba", "Omar Bongo"},
      {"Saud al- Faisal", "al-Faisal", "Saud"},
      {"Lula da Silva", "da Silva", "Lula"},
      {"Tan Sri Razali Ismail", "Ismail", "Razali"},
      // Words that are honorifics only in their place: He and Sri begin these names.
      {"He Yafei", "Yafei", "He"},
      {"Sri Mulyani Indrawati", "Indrawati", "Sri Mulyani"},
      // Already "Family, Given"; a form of address after the comma is dropped too.
      {"Lalwani, Sameer P.", "Lalwani", "Sameer P."},
      {"Bhutto, Mr. Zulfikar Ali", "Bhutto", "Zulfikar Ali"},
      // rt17 rows 27-29: titles UNGDC's list writes before names; a peer's "of <place>"; trailing commas.
      {"Cardinal Pietro Parolin", "Parolin", "Pietro"},
      {"Archbishop Paul Richard Gallagher", "Gallagher", "Paul Richard"},
      {"Colonel Maummar Al-Qadhafi", "Al-Qadhafi", "Maummar"},
      {"Chief Ojo Maduekwe", "Maduekwe", "Ojo"},
      {"Baron Divavesi Waqa", "Waqa", "Divavesi"},
      {"U Tin Wimn", "Wimn", "Tin"},
      {"Mr. U. Nyan WIN", "WIN", "Nyan"},
      {"General Thein Sein", "Sein", "Thein"},
      {"Lord Tu'ivakano of Nukunuku", "Tu'ivakano", ""},
      {"Celso Luiz Nunes Amorim,", "Amorim", "Celso Luiz Nunes"},
      {"Choe Su Hon, ", "Hon", "Choe Su"},  // the order of a name is split_name's family_first
      // One word: an organisation, or a title alone, kept whole.
      {"USIP", "USIP", ""},
      {"Sir", "Sir", ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto [family, given] = quire::split_name(c.name);
    CHECK(family == c.family);
    CHECK(given == c.given);
  }
}

TEST_CASE("RIS, BibTeX and CSL-JSON authors: no honorific as a given name", "[exports][names]") {
  quire::DocumentMeta m;
  m.id = "UNGDC_PAK_18_1963";
  m.title = "Statement";
  m.authors = {"Mr. Zulfikar Ali BHUTTO", "Hans van den Broek"};
  const std::string ris = quire::export_documents({m}, "ris");
  CHECK(ris.find("AU  - BHUTTO, Zulfikar Ali\r\n") != std::string::npos);
  CHECK(ris.find("AU  - van den Broek, Hans\r\n") != std::string::npos);
  const std::string bib = quire::export_documents({m}, "bibtex");
  CHECK(bib.find("BHUTTO, Zulfikar Ali and van den Broek, Hans") != std::string::npos);
  const std::string csl = quire::export_documents({m}, "csl-json");
  const auto j = nlohmann::json::parse(csl);
  CHECK(j[0]["author"][0] == nlohmann::json({{"family", "BHUTTO"}, {"given", "Zulfikar Ali"}}));
  CHECK(j[0]["author"][1] == nlohmann::json({{"family", "van den Broek"}, {"given", "Hans"}}));
}

TEST_CASE("export records carry by, catalogue fields, the passages found and the citation", "[exports][records]") {
  quire::ExportRecord r;
  r.meta.id = "UNGDC_PAK_20_1965";
  r.meta.title = "Statement by Pakistan";
  r.meta.authors = {"Mr. Zulfikar Ali BHUTTO"};
  r.meta.date = "1965";
  r.meta.by = {"pakistan"};
  r.meta.extra = {{"session", "20"}, {"post", "Minister for Foreign Affairs"}};
  r.passages = {{12, "", ""}, {30, "", ""}};
  quire::ExportRecord paged;
  paged.meta.id = "report";
  paged.meta.title = "A report";
  paged.passages = {{4, "iii", ""}, {9, "14", "15"}};
  const std::vector<quire::ExportRecord> records = {r, paged};

  const std::string ris = quire::export_records(records, "ris");
  CHECK_THAT(ris, Catch::Contains("N1  - By: pakistan\r\n"));
  CHECK_THAT(ris, Catch::Contains("N1  - session: 20\r\n"));
  CHECK_THAT(ris, Catch::Contains("N1  - Passages: para. 12; para. 30\r\n"));
  CHECK_THAT(ris, Catch::Contains("N1  - Passages: para. 4 (p. iii); para. 9 (pp. 14-15)\r\n"));
  CHECK_THAT(ris,
             Catch::Contains("N1  - Cite as: Mr. Zulfikar Ali BHUTTO, \xE2\x80\x9CStatement by Pakistan\xE2\x80\x9D, "
                             "1965, para. 12.\r\n"));

  const std::string bib = quire::export_records(records, "bibtex");
  CHECK_THAT(bib, Catch::Contains("note = {By: pakistan. session: 20. post: Minister for Foreign Affairs. Passages: "
                                  "para. 12; para. 30. Cite as:"));

  const auto csl = nlohmann::json::parse(quire::export_records(records, "csl-json"));
  CHECK_THAT(csl[0]["note"].get<std::string>(), Catch::Contains("By: pakistan\nsession: 20\n"));

  const std::string csv = quire::export_records(records, "csv");
  CHECK_THAT(csv, Catch::StartsWith("id,title,title_devised,authors,date,publisher,container,volume,issue,pages,type,"
                                    "language,url,path,by,catalogue,citation,paragraph,page\r\n"));
  CHECK_THAT(csv, Catch::Contains(",pakistan,\"session=20; post=Minister for Foreign Affairs\","));
  CHECK_THAT(csv, Catch::Contains(",\"12; 30\",\r\n"));
  CHECK_THAT(csv, Catch::Contains(",\"4; 9\",\"iii; 14-15\"\r\n"));

  std::istringstream lines(quire::export_records(records, "jsonl"));
  std::string line;
  REQUIRE(std::getline(lines, line));
  const auto j = nlohmann::json::parse(line);
  CHECK(j.at("by") == nlohmann::json::array({"pakistan"}));
  CHECK(j.at("passages") == nlohmann::json::parse(R"([{"paragraph": 12}, {"paragraph": 30}])"));
  CHECK_THAT(j.at("citation").get<std::string>(), Catch::EndsWith("para. 12."));
  REQUIRE(std::getline(lines, line));
  CHECK(nlohmann::json::parse(line).at("passages")[1] ==
        nlohmann::json::parse(R"({"paragraph": 9, "page_label": "14", "page_label_end": "15"})"));
}

TEST_CASE("split_name: family name first for the seats whose names are written so", "[exports][names]") {
  struct Case {
    const char* name;
    std::vector<std::string> by;
    const char* family;
    const char* given;
  };
  const Case cases[] = {
      {"Wang Yi", {"china"}, "Wang", "Yi"},
      {"Mr. LI Zhaoxing", {"china"}, "LI", "Zhaoxing"},
      {"He Yafei", {"china"}, "He", "Yafei"},
      {"Hun Sen", {"cambodia"}, "Hun", "Sen"},
      {"Mr. Ban Ki-moon", {"south-korea"}, "Ban", "Ki-moon"},
      {"Choe Su Hon,", {"dprk"}, "Choe", "Su Hon"},
      {"Mr. Nguyen Phu Trong", {"vietnam"}, "Nguyen", "Phu Trong"},
      {"Mr. Tsiang", {"roc"}, "Tsiang", ""},
      {"Wang Yi", {"pakistan"}, "Yi", "Wang"},  // any other seat: the last word
      {"Shinzo Abe", {"japan"}, "Abe", "Shinzo"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto [family, given] = quire::split_name(c.name, quire::name_order(c.by));
    CHECK(family == c.family);
    CHECK(given == c.given);
  }
  quire::DocumentMeta m;
  m.id = "UNGDC_CHN_79_2024";
  m.title = "Statement";
  m.authors = {"Wang Yi"};
  m.by = {"china"};
  const auto j = nlohmann::json::parse(quire::export_documents({m}, "csl-json"));
  CHECK(j[0]["author"][0] == nlohmann::json({{"family", "Wang"}, {"given", "Yi"}}));
}

TEST_CASE("exports: one form of a C1 control in every format, one full stop in the note", "[exports][names]") {
  quire::DocumentMeta m;
  m.id = "UNGDC_BRN_60_2005";
  m.title = "Statement by Brunei Darussalam";
  m.title_devised = true;
  m.authors = {"Prince Mohamed Bolkiah Mu\xE2\x80\x99izzaddin"};
  m.publisher = "United Nations General Assembly";
  m.by = {"brunei"};
  const std::string ris = quire::export_documents({m}, "ris");
  CHECK_THAT(ris, Catch::Contains("AU  - Mu\xE2\x80\x99izzaddin, Mohamed Bolkiah\r\n"));
  quire::DocumentMeta c1 = m;
  c1.authors = {"Prince Mohamed Bolkiah Mu\xC2\x92izzaddin"};
  CHECK(quire::export_documents({c1}, "ris") == ris);  // the RIS of the C1 form is that of the cleaned one
  const std::string bib = quire::export_documents({m}, "bibtex");
  CHECK_THAT(bib, Catch::Contains("the document states none. By: brunei."));
  CHECK(bib.find("..") == std::string::npos);
}

TEST_CASE("split_name: the UN's capitals, a leading particle, Spanish double surnames, forms of address", "[exports][names][rt17h]") {
  // rt17h rows 8 and 20: names of UNGDC's speakers list (speakers_by_session.tsv) with their seat.
  struct Case {
    const char* name;
    std::vector<std::string> by;
    const char* family;
    const char* given;
  };
  const Case cases[] = {
      // A name in capitals after a form of address is the surname, whole (any seat).
      {"Mr. ROA GARCIA", {"cuba"}, "ROA GARCIA", ""},
      {"Mr. ZAVALA ORTIZ", {"argentina"}, "ZAVALA ORTIZ", ""},
      {"Mr. BATLLE BERRES", {"uruguay"}, "BATLLE BERRES", ""},
      {"Mr. URDANETA ARBELAEZ", {"colombia"}, "URDANETA ARBELAEZ", ""},
      {"Mr. ABDEL MEGUID", {"egypt"}, "ABDEL MEGUID", ""},
      {"Mr. BHUTTO", {"pakistan"}, "BHUTTO", ""},
      // Capitals after given names are the surname.
      {"Mr. Raúl ROA GARCIA", {"cuba"}, "ROA GARCIA", "Raúl"},
      {"Mr. Zulfikar Ali BHUTTO", {"pakistan"}, "BHUTTO", "Zulfikar Ali"},
      // A name that begins with a particle has no given name.
      {"Mr. de Freitas Valle", {"brazil"}, "de Freitas Valle", ""},
      {"de la Guardia", {"panama"}, "de la Guardia", ""},
      // Spanish seats: the last two surnames.
      {"Gabriel Boric Font", {"chile"}, "Boric Font", "Gabriel"},
      {"Álvaro Uribe Vélez", {"colombia"}, "Uribe Vélez", "Álvaro"},
      {"Hugo Chavez Frias", {"venezuela"}, "Chavez Frias", "Hugo"},
      {"Evo Morales Ayma", {"bolivia"}, "Morales Ayma", "Evo"},
      {"Luis Lacalle Pou", {"uruguay"}, "Lacalle Pou", "Luis"},
      {"Mr. Pedro Sánchez Pérez-Castejón", {"spain"}, "Sánchez Pérez-Castejón", "Pedro"},
      {"Miguel Díaz-Canel Bermúdez", {"cuba"}, "Díaz-Canel Bermúdez", "Miguel"},
      {"Luis Alberto Arce Catacora", {"bolivia"}, "Arce Catacora", "Luis Alberto"},
      {"Dina Ercilia Boluarte Zegarra", {"peru"}, "Boluarte Zegarra", "Dina Ercilia"},
      {"Andrés Manuel López Obrador", {"mexico"}, "López Obrador", "Andrés Manuel"},
      {"Cristina Fernández de Kirchner", {"argentina"}, "Fernández de Kirchner", "Cristina"},
      {"Carlos Salinas de Gortari", {"mexico"}, "Salinas de Gortari", "Carlos"},
      {"VIRGILIO BARCO VARGAS", {"colombia"}, "BARCO VARGAS", "VIRGILIO"},
      {"BELAUNDE TERRY", {"peru"}, "BELAUNDE TERRY", ""},
      // A second given name makes three words one surname; two words are a given name and a surname.
      {"Juan Manuel Santos", {"colombia"}, "Santos", "Juan Manuel"},
      {"José Miguel Insulza", {"chile"}, "Insulza", "José Miguel"},
      {"Mr. Julio Maria Sanguinetti", {"uruguay"}, "Sanguinetti", "Julio Maria"},
      {"Carlos Andrés Pérez", {"venezuela"}, "Pérez", "Carlos Andrés"},
      {"Mr. Nayib Armando Bukele", {"el-salvador"}, "Bukele", "Nayib Armando"},
      {"Mr. Jose Manuel Zelaya Rosales", {"honduras"}, "Zelaya Rosales", "Jose Manuel"},
      {"Mr. Arturo Frondizi", {"argentina"}, "Frondizi", "Arturo"},
      {"Alberto Fernandez", {"argentina"}, "Fernandez", "Alberto"},
      {"Mr. ABREU", {"uruguay"}, "ABREU", ""},
      // Other seats keep one family name: Portuguese names are cited by the last.
      {"Lula da Silva", {"brazil"}, "da Silva", "Lula"},
      {"Antonio Martins da Cruz", {"portugal"}, "da Cruz", "Antonio Martins"},
      {"Carlos Salinas de Gortari", {}, "de Gortari", "Carlos Salinas"},
      // Forms of address written with a comma, or after "The".
      {"Mr, KAMOUGUE", {"chad"}, "KAMOUGUE", ""},
      {"Mr., BAROUM", {"chad"}, "BAROUM", ""},
      {"The Reverend Benjamin Nuñez", {"costa-rica"}, "Nuñez", "Benjamin"},
      {"The Hon. Philip Davis", {"bahamas"}, "Davis", "Philip"},
      // Not forms of address: a surname and a given name, "Family, Given".
      {"Roe, Jane", {}, "Roe", "Jane"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const auto [family, given] = quire::split_name(c.name, quire::name_order(c.by));
    CHECK(family == c.family);
    CHECK(given == c.given);
  }
}

TEST_CASE("authors are the same names in RIS, BibTeX, CSL-JSON and CSV", "[exports][names][rt17h]") {
  quire::DocumentMeta m;
  m.id = "UNGDC_TCD_35_1980";
  m.title = "Statement";
  m.authors = {"Mr. BAROUM", "Mr, KAMOUGUE", "Gabriel Boric Font"};
  m.by = {"chile"};
  CHECK_THAT(quire::export_documents({m}, "ris"),
             Catch::Contains("AU  - BAROUM\r\nAU  - KAMOUGUE\r\nAU  - Boric Font, Gabriel\r\n"));
  CHECK_THAT(quire::export_documents({m}, "bibtex"),
             Catch::Contains("author = {{BAROUM} and {KAMOUGUE} and Boric Font, Gabriel}"));
  const auto j = nlohmann::json::parse(quire::export_documents({m}, "csl-json"));
  CHECK(j[0]["author"] == nlohmann::json::parse(
                              R"([{"literal": "BAROUM"}, {"literal": "KAMOUGUE"}, {"family": "Boric Font", "given": "Gabriel"}])"));
  CHECK_THAT(quire::export_documents({m}, "csv"), Catch::Contains(",\"BAROUM; KAMOUGUE; Boric Font, Gabriel\","));
}
