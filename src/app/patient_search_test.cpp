#include "app/patient_search.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace kclinic::app {
namespace {

// One row per search text: what the store is asked for, or the error's message.
struct NameCase {
    std::string text;
    std::string prefix;
    std::optional<std::string> given;
    std::string error;  // empty: parsed
};

TEST(PatientSearchTest, ReadsOneNameOrFamilyCommaGivenFoldingOnlyAToZ) {
    const std::vector<NameCase> cases = {
        {"lov", "lov", std::nullopt, ""},
        {"LOV", "lov", std::nullopt, ""},
        {"  Lovelace  ", "lovelace", std::nullopt, ""},
        {"Mary Ann", "mary ann", std::nullopt, ""},
        {"O'Brien", "o'brien", std::nullopt, ""},
        {"Lovelace, Ada", "lovelace", "ada", ""},
        {"lovelace ,a", "lovelace", "a", ""},
        {"Lovelace,", "lovelace", "", ""},
        // Only A-Z fold: the accented capital stays as typed, on both backends alike.
        {"ÉMILE", "Émile", std::nullopt, ""},
        {"José", "josé", std::nullopt, ""},
        {"", "", std::nullopt, "is required"},
        {"   ", "", std::nullopt, "is required"},
        {", Ada", "", std::nullopt, "needs the family name before the comma: \"family, given\""},
        {"a, b, c", "", std::nullopt, "has more than one comma; search \"family, given\" or one name"},
        {"lov\tx", "", std::nullopt, "must not contain control characters"},
        {std::string(201, 'a'), "", std::nullopt, "must be at most 200 characters (got 201)"},
    };
    for (const NameCase& row : cases) {
        Result<PatientNameSearch> parsed = ParsePatientNameSearch(row.text);
        if (!row.error.empty()) {
            ASSERT_FALSE(parsed.ok()) << row.text;
            EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << row.text;
            EXPECT_EQ(parsed.error().field, "name") << row.text;
            EXPECT_EQ(parsed.error().message, row.error) << row.text;
            continue;
        }
        ASSERT_TRUE(parsed.ok()) << row.text << ": " << parsed.error().ToString();
        EXPECT_EQ(parsed->prefix, row.prefix) << row.text;
        EXPECT_EQ(parsed->given, row.given) << row.text;
    }
}

// The quick search's fold: one answer for each spelling a person may type.
TEST(PatientSearchTest, SearchTextFoldsCaseAccentsAndApostrophesAndSplitsHyphenatedNames) {
    EXPECT_EQ(PatientSearchText("MRN-0042", "Émile", "Zola"), " mrn-0042 emile zola ");
    EXPECT_EQ(PatientSearchText("X-1", "Mary Ann", "O\u2019Brien-Łukasz"),
              " x-1 mary ann obrien-lukasz obrien lukasz ");
    EXPECT_EQ(PatientSearchText("X-2", "Jürgen", "Weiß"), " x-2 jurgen weiss ");
    EXPECT_EQ(PatientSearchText("X-3", "Ægir", "Øster"), " x-3 aegir oster ");
    // Letters beyond Latin Extended-A stay as written; the signs in the table's range too.
    EXPECT_EQ(PatientSearchText("X-4", "Ωmega", "×"), " x-4 Ωmega × ");
}

TEST(PatientSearchTest, QuickSearchIsFoldedWordsOrARefusalOnQ) {
    EXPECT_EQ(ParseQuickSearch("Zola, Émile").value(), (std::vector<std::string>{"zola", "emile"}));
    EXPECT_EQ(ParseQuickSearch("  MRN-00 ").value(), (std::vector<std::string>{"mrn-00"}));
    EXPECT_EQ(ParseQuickSearch("d'Arcy").value(), (std::vector<std::string>{"darcy"}));
    for (const std::string& q :
         std::vector<std::string>{"", "  ", " , ", "a b c d e f g", "lov\tx", std::string(201, 'a')}) {
        Result<std::vector<std::string>> parsed = ParseQuickSearch(q);
        ASSERT_FALSE(parsed.ok()) << q;
        EXPECT_EQ(parsed.error().field, "q") << q;
    }
}

}  // namespace
}  // namespace kclinic::app
