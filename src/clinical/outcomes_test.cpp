#include "clinical/outcomes.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr sys_days kDay0 = sys_days{std::chrono::year{2025} / std::chrono::March / 1};
sys_days Day(int offset) {
    return kDay0 + days{offset};
}

ClinicSettings MadrsRemissionMax(int max) {
    ClinicSettings settings;
    settings.outcomes.madrs_remission_max = max;
    return settings;
}
ClinicSettings Pcl5CutOff(int cut_off) {
    ClinicSettings settings;
    settings.scales.pcl5_provisional_ptsd_min = cut_off;
    return settings;
}

TEST(ResponseCategoryTest, Names) {
    EXPECT_EQ(ResponseCategoryName(ResponseCategory::kResponse), "response");
    EXPECT_EQ(ResponseCategoryName(ResponseCategory::kPartialResponse), "partial_response");
    EXPECT_EQ(ResponseCategoryName(ResponseCategory::kNoResponse), "no_response");
}

TEST(HasOutcomeDefinitionsTest, DepressionAnxietyAndPtsdScalesOnly) {
    const std::vector<std::pair<Instrument, bool>> cases{
        {Instrument::kPhq9, true},         {Instrument::kGad7, true},   {Instrument::kMadrs, true},
        {Instrument::kQidsSr16, true},     {Instrument::kHamd17, true}, {Instrument::kPcl5, true},
        {Instrument::kCssrsScreen, false}, {Instrument::kCadss, false}, {Instrument::kCadss6, false},
        {Instrument::kMoaas, false},
    };
    for (const auto& [instrument, expected] : cases) {
        EXPECT_EQ(HasOutcomeDefinitions(instrument), expected) << InstrumentName(instrument);
    }
}

struct ResponseCase {
    std::string description;
    int baseline;
    int current;
    int change_points;
    double reduction_percent;
    ResponseCategory response;
};

// The chart's lines sit exactly where ClassifyOutcome changes its answer.
TEST(OutcomeLinesTest, LinesAreWhereClassificationChanges) {
    for (const auto& [instrument, settings] :
         std::vector<std::pair<Instrument, ClinicSettings>>{{Instrument::kPhq9, ClinicSettings{}},
                                                            {Instrument::kMadrs, MadrsRemissionMax(10)},
                                                            {Instrument::kQidsSr16, ClinicSettings{}},
                                                            {Instrument::kGad7, ClinicSettings{}},
                                                            {Instrument::kPcl5, Pcl5CutOff(31)}}) {
        for (const int baseline : {9, 14, 20}) {
            const Result<OutcomeLines> lines = OutcomeLinesFor(instrument, baseline, settings);
            ASSERT_TRUE(lines.ok()) << lines.error().message;
            const auto at = [&](int total) { return ClassifyOutcome(instrument, baseline, total, settings).value(); };
            EXPECT_EQ(at(lines->response_max_total).response, ResponseCategory::kResponse);
            EXPECT_NE(at(lines->response_max_total + 1).response, ResponseCategory::kResponse);
            EXPECT_TRUE(at(lines->remission_max_total).remission);
            EXPECT_FALSE(at(lines->remission_max_total + 1).remission);
            EXPECT_EQ(lines->remission_rule, at(0).remission_rule);
        }
    }
    EXPECT_EQ(OutcomeLinesFor(Instrument::kPcl5, 40, Pcl5CutOff(33))->remission_max_total, 32);
    EXPECT_EQ(OutcomeLinesFor(Instrument::kMoaas, 3, ClinicSettings{}).error().field, "instrument");
}

// clinical-reference §1.2: the baseline is the score recorded before the first dose, so the latest one before it.
TEST(PreTreatmentBaselineTest, IsTheLatestTotalStrictlyBeforeTheFirstDose) {
    const TimePoint t0 = TimePoint{sys_days{kDay0}};
    const auto at = [&](int minutes) { return t0 + std::chrono::minutes{minutes}; };
    const std::vector<TimePoint> taken{at(0), at(10), at(10), at(60), at(120)};
    // Two scores before the dose: the later counts (of two at one instant, the later in the series).
    EXPECT_EQ(PreTreatmentBaselineIndex(taken, at(30)), std::optional<std::size_t>(2));
    // A score taken at the very instant of the dose is not before it.
    EXPECT_EQ(PreTreatmentBaselineIndex(taken, at(60)), std::optional<std::size_t>(2));
    EXPECT_EQ(PreTreatmentBaselineIndex(taken, at(61)), std::optional<std::size_t>(3));
    // No dose yet: every score is pre-treatment, the latest is the baseline.
    EXPECT_EQ(PreTreatmentBaselineIndex(taken, std::nullopt), std::optional<std::size_t>(4));
    // Every score after the first dose, or none at all: no baseline.
    EXPECT_EQ(PreTreatmentBaselineIndex(taken, at(0)), std::nullopt);
    EXPECT_EQ(PreTreatmentBaselineIndex({}, std::nullopt), std::nullopt);
}

TEST(ClassifyOutcomeTest, ResponseAndPartialResponseEdges) {
    const std::vector<ResponseCase> cases{
        {"exactly 50%", 40, 20, 20, 50.0, ResponseCategory::kResponse},
        {"49.15% (29 of 59)", 59, 30, 29, 100.0 * 29 / 59, ResponseCategory::kPartialResponse},
        {"48.8% (20 of 41)", 41, 21, 20, 100.0 * 20 / 41, ResponseCategory::kPartialResponse},
        {"51.2% (21 of 41)", 41, 20, 21, 100.0 * 21 / 41, ResponseCategory::kResponse},
        {"exactly 25%", 40, 30, 10, 25.0, ResponseCategory::kPartialResponse},
        {"24.4% (10 of 41)", 41, 31, 10, 100.0 * 10 / 41, ResponseCategory::kNoResponse},
        {"24.1% (14 of 58)", 58, 44, 14, 100.0 * 14 / 58, ResponseCategory::kNoResponse},
        {"no change", 30, 30, 0, 0.0, ResponseCategory::kNoResponse},
        {"worse", 20, 25, -5, -25.0, ResponseCategory::kNoResponse},
        {"to zero", 35, 0, 35, 100.0, ResponseCategory::kResponse},
        {"baseline 1 to 0", 1, 0, 1, 100.0, ResponseCategory::kResponse},
        {"baseline 1 unchanged", 1, 1, 0, 0.0, ResponseCategory::kNoResponse},
    };
    for (const ResponseCase& c : cases) {
        Result<Outcome> outcome = ClassifyOutcome(Instrument::kMadrs, c.baseline, c.current, {});
        ASSERT_TRUE(outcome.ok()) << c.description << ": " << outcome.error().ToString();
        EXPECT_EQ(outcome->instrument, Instrument::kMadrs) << c.description;
        EXPECT_EQ(outcome->baseline_total, c.baseline) << c.description;
        EXPECT_EQ(outcome->current_total, c.current) << c.description;
        EXPECT_EQ(outcome->change_points, c.change_points) << c.description;
        EXPECT_DOUBLE_EQ(outcome->reduction_percent, c.reduction_percent) << c.description;
        EXPECT_EQ(outcome->response, c.response) << c.description;
        EXPECT_EQ(outcome->response_rule, "reduction>=50%;partial>=25%") << c.description;
    }
}

struct RemissionCase {
    std::string description;
    Instrument instrument;
    int current;
    ClinicSettings settings;
    bool remission;
    std::string rule;
};

TEST(ClassifyOutcomeTest, RemissionEdgesPerScale) {
    const std::vector<RemissionCase> cases{
        {"madrs 12, default <=12", Instrument::kMadrs, 12, {}, true, "madrs_total<=12"},
        {"madrs 13, default <=12", Instrument::kMadrs, 13, {}, false, "madrs_total<=12"},
        {"madrs 12 with <=10", Instrument::kMadrs, 12, MadrsRemissionMax(10), false, "madrs_total<=10"},
        {"madrs 11 with <=10", Instrument::kMadrs, 11, MadrsRemissionMax(10), false, "madrs_total<=10"},
        {"madrs 10 with <=10", Instrument::kMadrs, 10, MadrsRemissionMax(10), true, "madrs_total<=10"},
        {"madrs 0", Instrument::kMadrs, 0, {}, true, "madrs_total<=12"},
        {"hamd17 7", Instrument::kHamd17, 7, {}, true, "hamd17_total<=7"},
        {"hamd17 8", Instrument::kHamd17, 8, {}, false, "hamd17_total<=7"},
        {"qids 5", Instrument::kQidsSr16, 5, {}, true, "qids_sr16_total<=5"},
        {"qids 6", Instrument::kQidsSr16, 6, {}, false, "qids_sr16_total<=5"},
        {"phq9 4", Instrument::kPhq9, 4, {}, true, "phq9_total<=4"},
        {"phq9 5", Instrument::kPhq9, 5, {}, false, "phq9_total<=4"},
        {"gad7 4", Instrument::kGad7, 4, {}, true, "gad7_total<=4"},
        {"gad7 5", Instrument::kGad7, 5, {}, false, "gad7_total<=4"},
        {"pcl5 32, cut 33", Instrument::kPcl5, 32, {}, true, "pcl5_total<33"},
        {"pcl5 33, cut 33", Instrument::kPcl5, 33, {}, false, "pcl5_total<33"},
        {"pcl5 30, cut 31", Instrument::kPcl5, 30, Pcl5CutOff(31), true, "pcl5_total<31"},
        {"pcl5 31, cut 31", Instrument::kPcl5, 31, Pcl5CutOff(31), false, "pcl5_total<31"},
        {"pcl5 31, cut 32", Instrument::kPcl5, 31, Pcl5CutOff(32), true, "pcl5_total<32"},
        {"pcl5 32, cut 32", Instrument::kPcl5, 32, Pcl5CutOff(32), false, "pcl5_total<32"},
    };
    for (const RemissionCase& c : cases) {
        // Baseline at the top of each scale so every current value is in range.
        const int baseline = Definition(c.instrument).total_max;
        Result<Outcome> outcome = ClassifyOutcome(c.instrument, baseline, c.current, c.settings);
        ASSERT_TRUE(outcome.ok()) << c.description << ": " << outcome.error().ToString();
        EXPECT_EQ(outcome->remission, c.remission) << c.description;
        EXPECT_EQ(outcome->remission_rule, c.rule) << c.description;
    }
}

TEST(ClassifyOutcomeTest, Pcl5PointChange) {
    struct Case {
        int baseline;
        int current;
        bool reliable;
        bool meaningful;
    };
    const std::vector<Case> cases{
        {50, 46, false, false}, {50, 45, true, false},  {50, 41, true, false},
        {50, 40, true, true},   {50, 55, false, false},
    };
    for (const Case& c : cases) {
        Result<Outcome> outcome = ClassifyOutcome(Instrument::kPcl5, c.baseline, c.current, {});
        ASSERT_TRUE(outcome.ok()) << c.baseline << " -> " << c.current;
        ASSERT_TRUE(outcome->reliable_change.has_value()) << c.baseline << " -> " << c.current;
        ASSERT_TRUE(outcome->clinically_meaningful_change.has_value()) << c.baseline << " -> " << c.current;
        EXPECT_EQ(*outcome->reliable_change, c.reliable) << c.baseline << " -> " << c.current;
        EXPECT_EQ(*outcome->clinically_meaningful_change, c.meaningful) << c.baseline << " -> " << c.current;
    }
    Result<Outcome> madrs = ClassifyOutcome(Instrument::kMadrs, 40, 10, {});
    ASSERT_TRUE(madrs.ok());
    EXPECT_FALSE(madrs->reliable_change.has_value());
    EXPECT_FALSE(madrs->clinically_meaningful_change.has_value());
}

struct OutcomeErrorCase {
    std::string description;
    Instrument instrument;
    int baseline;
    int current;
    ErrorCode code;
    std::string field;
    std::string message;
};

TEST(ClassifyOutcomeTest, InvalidInput) {
    const std::string no_definition =
        " has no response or remission definition; outcomes apply to phq9, gad7, madrs, qids-sr16, hamd17 and pcl5";
    const std::vector<OutcomeErrorCase> cases{
        {"cssrs", Instrument::kCssrsScreen, 3, 1, ErrorCode::kInvalidArgument, "instrument",
         "cssrs-screen" + no_definition},
        {"cadss", Instrument::kCadss, 20, 1, ErrorCode::kInvalidArgument, "instrument", "cadss" + no_definition},
        {"cadss6", Instrument::kCadss6, 20, 1, ErrorCode::kInvalidArgument, "instrument", "cadss6" + no_definition},
        {"moaas", Instrument::kMoaas, 5, 3, ErrorCode::kInvalidArgument, "instrument", "moaas" + no_definition},
        {"baseline 0", Instrument::kMadrs, 0, 0, ErrorCode::kOutOfRange, "baseline_total",
         "must be between 1 and 60 (got 0): a baseline of 0 cannot define a percentage reduction"},
        {"baseline -1", Instrument::kMadrs, -1, 0, ErrorCode::kOutOfRange, "baseline_total",
         "must be between 1 and 60 (got -1)"},
        {"madrs baseline 61", Instrument::kMadrs, 61, 0, ErrorCode::kOutOfRange, "baseline_total",
         "must be between 1 and 60 (got 61)"},
        {"madrs current 61", Instrument::kMadrs, 30, 61, ErrorCode::kOutOfRange, "current_total",
         "must be between 0 and 60 (got 61)"},
        {"madrs current -1", Instrument::kMadrs, 30, -1, ErrorCode::kOutOfRange, "current_total",
         "must be between 0 and 60 (got -1)"},
        {"phq9 baseline 28", Instrument::kPhq9, 28, 3, ErrorCode::kOutOfRange, "baseline_total",
         "must be between 1 and 27 (got 28)"},
        {"gad7 current 22", Instrument::kGad7, 15, 22, ErrorCode::kOutOfRange, "current_total",
         "must be between 0 and 21 (got 22)"},
        {"qids current 28", Instrument::kQidsSr16, 20, 28, ErrorCode::kOutOfRange, "current_total",
         "must be between 0 and 27 (got 28)"},
        {"hamd17 baseline 53", Instrument::kHamd17, 53, 3, ErrorCode::kOutOfRange, "baseline_total",
         "must be between 1 and 52 (got 53)"},
        {"pcl5 current 81", Instrument::kPcl5, 50, 81, ErrorCode::kOutOfRange, "current_total",
         "must be between 0 and 80 (got 81)"},
    };
    for (const OutcomeErrorCase& c : cases) {
        Result<Outcome> outcome = ClassifyOutcome(c.instrument, c.baseline, c.current, {});
        ASSERT_FALSE(outcome.ok()) << c.description;
        EXPECT_EQ(outcome.error().code, c.code) << c.description;
        EXPECT_EQ(outcome.error().field, c.field) << c.description;
        EXPECT_EQ(outcome.error().message, c.message) << c.description;
    }
}

// ----- series -----

TEST(ClassifySeriesTest, ClassifiesEachPointInOrder) {
    const std::vector<DatedTotal> series{{Day(0), 30}, {Day(7), 20}, {Day(7), 15}, {Day(14), 12}, {Day(28), 31}};
    Result<std::vector<ClassifiedPoint>> points = ClassifySeries(Instrument::kMadrs, 30, series, {});
    ASSERT_TRUE(points.ok()) << points.error().ToString();
    struct Expected {
        ResponseCategory response;
        bool remission;
        int change_points;
    };
    const std::vector<Expected> expected{
        {ResponseCategory::kNoResponse, false, 0},  {ResponseCategory::kPartialResponse, false, 10},
        {ResponseCategory::kResponse, false, 15},   {ResponseCategory::kResponse, true, 18},
        {ResponseCategory::kNoResponse, false, -1},
    };
    ASSERT_EQ(points->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ((*points)[i].date, series[i].date) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.current_total, series[i].total) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.baseline_total, 30) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.response, expected[i].response) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.remission, expected[i].remission) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.change_points, expected[i].change_points) << "point " << i + 1;
        EXPECT_EQ((*points)[i].outcome.remission_rule, "madrs_total<=12") << "point " << i + 1;
    }
}

TEST(ClassifySeriesTest, UsesTheClinicsRemissionThreshold) {
    const std::vector<DatedTotal> series{{Day(0), 11}};
    Result<std::vector<ClassifiedPoint>> points = ClassifySeries(Instrument::kMadrs, 30, series, MadrsRemissionMax(10));
    ASSERT_TRUE(points.ok());
    ASSERT_EQ(points->size(), 1u);
    EXPECT_FALSE((*points)[0].outcome.remission);
    EXPECT_EQ((*points)[0].outcome.remission_rule, "madrs_total<=10");
}

TEST(ClassifySeriesTest, EmptySeriesIsEmpty) {
    Result<std::vector<ClassifiedPoint>> points = ClassifySeries(Instrument::kPhq9, 20, {}, {});
    ASSERT_TRUE(points.ok());
    EXPECT_TRUE(points->empty());
}

TEST(ClassifySeriesTest, InvalidInput) {
    struct Case {
        std::string description;
        Instrument instrument;
        int baseline;
        std::vector<DatedTotal> series;
        ErrorCode code;
        std::string field;
        std::string message;
    };
    const std::vector<Case> cases{
        {"moaas",
         Instrument::kMoaas,
         5,
         {{Day(0), 5}},
         ErrorCode::kInvalidArgument,
         "instrument",
         "moaas has no response or remission definition; outcomes apply to phq9, gad7, madrs, qids-sr16, hamd17 "
         "and pcl5"},
        {"baseline 0, even with no points",
         Instrument::kPhq9,
         0,
         {},
         ErrorCode::kOutOfRange,
         "baseline_total",
         "must be between 1 and 27 (got 0): a baseline of 0 cannot define a percentage reduction"},
        {"baseline out of range",
         Instrument::kPhq9,
         30,
         {},
         ErrorCode::kOutOfRange,
         "baseline_total",
         "must be between 1 and 27 (got 30)"},
        {"second total out of range",
         Instrument::kPhq9,
         20,
         {{Day(0), 10}, {Day(1), 28}},
         ErrorCode::kOutOfRange,
         "series[2].total",
         "must be between 0 and 27 (got 28)"},
        {"first total negative",
         Instrument::kPhq9,
         20,
         {{Day(0), -1}},
         ErrorCode::kOutOfRange,
         "series[1].total",
         "must be between 0 and 27 (got -1)"},
        {"third date before second",
         Instrument::kPhq9,
         20,
         {{Day(0), 10}, {Day(7), 9}, {Day(6), 8}},
         ErrorCode::kInvalidArgument,
         "series[3].date",
         "2025-03-07 is before the previous point (2025-03-08); give the series in date order"},
    };
    for (const Case& c : cases) {
        Result<std::vector<ClassifiedPoint>> points = ClassifySeries(c.instrument, c.baseline, c.series, {});
        ASSERT_FALSE(points.ok()) << c.description;
        EXPECT_EQ(points.error().code, c.code) << c.description;
        EXPECT_EQ(points.error().field, c.field) << c.description;
        EXPECT_EQ(points.error().message, c.message) << c.description;
    }
}

// ----- SUSTAIN-1 relapse -----

TEST(FindMadrsRelapseTest, TrialConstants) {
    EXPECT_EQ(kSustain1RelapseMadrsMin, 22);
    EXPECT_EQ(kSustain1RelapseMinDaysApart, 5);
    EXPECT_EQ(kSustain1RelapseMaxDaysApart, 15);
}

TEST(FindMadrsRelapseTest, Windows) {
    struct Case {
        std::string description;
        std::vector<DatedTotal> series;
        std::optional<std::pair<std::size_t, std::size_t>> relapse;  // indexes of the qualifying pair
    };
    const std::vector<Case> cases{
        {"empty", {}, std::nullopt},
        {"one high score", {{Day(0), 40}}, std::nullopt},
        {"4 days apart", {{Day(0), 22}, {Day(4), 22}}, std::nullopt},
        {"5 days apart", {{Day(0), 22}, {Day(5), 22}}, std::pair<std::size_t, std::size_t>{0, 1}},
        {"15 days apart", {{Day(0), 22}, {Day(15), 30}}, std::pair<std::size_t, std::size_t>{0, 1}},
        {"16 days apart", {{Day(0), 30}, {Day(16), 22}}, std::nullopt},
        {"first at 21", {{Day(0), 21}, {Day(7), 30}}, std::nullopt},
        {"second at 21", {{Day(0), 30}, {Day(7), 21}}, std::nullopt},
        {"non-consecutive high scores", {{Day(0), 25}, {Day(5), 10}, {Day(10), 25}}, std::nullopt},
        {"too close, then in window",
         {{Day(0), 25}, {Day(3), 25}, {Day(8), 25}},
         std::pair<std::size_t, std::size_t>{1, 2}},
        {"too far, then in window",
         {{Day(0), 25}, {Day(20), 25}, {Day(27), 25}},
         std::pair<std::size_t, std::size_t>{1, 2}},
        {"first of two relapses",
         {{Day(0), 10}, {Day(7), 23}, {Day(14), 24}, {Day(21), 5}, {Day(28), 30}, {Day(35), 30}},
         std::pair<std::size_t, std::size_t>{1, 2}},
        {"stable remission", {{Day(0), 8}, {Day(7), 12}, {Day(14), 9}, {Day(21), 11}}, std::nullopt},
    };
    for (const Case& c : cases) {
        Result<std::optional<Relapse>> relapse = FindMadrsRelapse(c.series);
        ASSERT_TRUE(relapse.ok()) << c.description << ": " << relapse.error().ToString();
        ASSERT_EQ(relapse->has_value(), c.relapse.has_value()) << c.description;
        if (c.relapse.has_value()) {
            const Relapse& found = **relapse;
            EXPECT_EQ(found.first.date, c.series[c.relapse->first].date) << c.description;
            EXPECT_EQ(found.first.total, c.series[c.relapse->first].total) << c.description;
            EXPECT_EQ(found.second.date, c.series[c.relapse->second].date) << c.description;
            EXPECT_EQ(found.second.total, c.series[c.relapse->second].total) << c.description;
            EXPECT_EQ(found.rule, "sustain1_madrs>=22_twice_5-15_days_apart") << c.description;
        }
    }
}

TEST(FindMadrsRelapseTest, InvalidSeries) {
    struct Case {
        std::string description;
        std::vector<DatedTotal> series;
        ErrorCode code;
        std::string field;
        std::string message;
    };
    const std::vector<Case> cases{
        {"unsorted",
         {{Day(0), 25}, {Day(10), 25}, {Day(5), 25}},
         ErrorCode::kInvalidArgument,
         "series[3].date",
         "2025-03-06 is before the previous assessment's date (2025-03-11); give one assessment per day in date "
         "order"},
        {"duplicate date",
         {{Day(0), 25}, {Day(0), 26}},
         ErrorCode::kInvalidArgument,
         "series[2].date",
         "2025-03-01 repeats the previous assessment's date (2025-03-01); give one assessment per day in date order"},
        {"total 61", {{Day(0), 61}}, ErrorCode::kOutOfRange, "series[1].total", "must be between 0 and 60 (got 61)"},
        {"total -1",
         {{Day(0), 30}, {Day(7), -1}},
         ErrorCode::kOutOfRange,
         "series[2].total",
         "must be between 0 and 60 (got -1)"},
        {"bad point after a relapse is still refused",
         {{Day(0), 30}, {Day(7), 30}, {Day(3), 30}},
         ErrorCode::kInvalidArgument,
         "series[3].date",
         "2025-03-04 is before the previous assessment's date (2025-03-08); give one assessment per day in date "
         "order"},
    };
    for (const Case& c : cases) {
        Result<std::optional<Relapse>> relapse = FindMadrsRelapse(c.series);
        ASSERT_FALSE(relapse.ok()) << c.description;
        EXPECT_EQ(relapse.error().code, c.code) << c.description;
        EXPECT_EQ(relapse.error().field, c.field) << c.description;
        EXPECT_EQ(relapse.error().message, c.message) << c.description;
    }
}

TEST(ResponseCategoryTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kResponseCategoryNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
