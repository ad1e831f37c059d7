#include "app/calendar_feeds.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace kclinic::app {
namespace {

struct InitialsCase {
    std::string given;
    std::string family;
    std::string initials;
};

TEST(CalendarFeedsTest, InitialsAreTheFirstLetterOfEachName) {
    const std::vector<InitialsCase> cases = {
        {"Ada", "Lovelace", "A.L."},
        {"ada", "lovelace", "A.L."},
        {"Mary Ann", "Smith-Jones", "M.S."},  // one letter per name, however many parts it has
        {"  Ada", " Lovelace", "A.L."},
        {"Conan", "O'Brien", "C.O."},
        {"Gerard", "'t Hooft", "G.T."},
        {"Émile", "Zola", "É.Z."},       // a two-byte letter kept whole, as written
        {"Zoë", "Øvergaard", "Z.Ø."},
        {"明", "李", "明.李."},            // a three-byte letter
        {"Ada", "", "A."},
        {"", "", ""},
        {"3", "--", ""},  // no letter at all
    };
    for (const InitialsCase& row : cases) {
        EXPECT_EQ(PatientInitials(row.given, row.family), row.initials) << row.given << " / " << row.family;
    }
}

TEST(CalendarFeedsTest, EveryAppointmentTypeHasItsOwnLabel) {
    std::set<std::string_view> labels;
    for (const clinical::AppointmentType type : clinical::kAppointmentTypeNames.Values()) {
        const std::string_view label = FeedTypeLabel(type);
        EXPECT_NE(label, clinical::AppointmentTypeName(type)) << "a label of its own for " << label;
        EXPECT_TRUE(labels.insert(label).second) << "twice: " << label;
    }
}

}  // namespace
}  // namespace kclinic::app
