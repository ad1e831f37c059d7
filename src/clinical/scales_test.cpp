#include "clinical/scales.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/enum_names_testing.hpp"

namespace kclinic::clinical {
namespace {

using Answers = std::vector<int>;
using Flags = std::vector<std::string>;

// Fills items in order up to each item's maximum until the answers add up to `total`. For every instrument but
// QIDS-SR16 (which scores domains) the Score total then equals `total`.
Answers FillTo(Instrument instrument, int total) {
    Answers answers;
    for (const ItemDefinition& item : Definition(instrument).items) {
        const int answer = std::min(item.max, total);
        answers.push_back(answer);
        total -= answer;
    }
    return answers;
}

// Sixteen QIDS-SR16 answers from nine domain values; each domain's value sits on its first item.
Answers QidsFromDomains(const std::array<int, 9>& domains) {
    Answers answers(16, 0);
    constexpr std::array<int, 9> kFirstItem{1, 5, 6, 10, 11, 12, 13, 14, 15};
    for (std::size_t d = 0; d < domains.size(); ++d) {
        answers[static_cast<std::size_t>(kFirstItem[d] - 1)] = domains[d];
    }
    return answers;
}

// Settings stay inside the registry's bounds (settings.cpp), as Score's precondition requires.
ScaleSettings Snaith() {
    return ScaleSettings{};
}
ScaleSettings Alternative() {
    ScaleSettings settings;
    settings.madrs_bands = MadrsBands::kAlternative;
    return settings;
}
ScaleSettings Pcl5CutOff(int cut_off) {
    ScaleSettings settings;
    settings.pcl5_provisional_ptsd_min = cut_off;
    return settings;
}
ScaleSettings CadssAbove(int above) {
    ScaleSettings settings;
    settings.cadss_dissociation_above = above;
    return settings;
}
ScaleSettings MadrsItem10Min(int min) {
    ScaleSettings settings;
    settings.madrs_item10_suicidality_min = min;
    return settings;
}

// ----- instrument names and the definition table -----

TEST(InstrumentNameTest, EveryNameRoundTrips) {
    const std::vector<std::pair<Instrument, std::string>> expected{
        {Instrument::kPhq9, "phq9"},
        {Instrument::kGad7, "gad7"},
        {Instrument::kMadrs, "madrs"},
        {Instrument::kQidsSr16, "qids-sr16"},
        {Instrument::kHamd17, "hamd17"},
        {Instrument::kPcl5, "pcl5"},
        {Instrument::kCssrsScreen, "cssrs-screen"},
        {Instrument::kCadss, "cadss"},
        {Instrument::kCadss6, "cadss6"},
        {Instrument::kMoaas, "moaas"},
    };
    ASSERT_EQ(AllInstruments().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [instrument, name] = expected[i];
        EXPECT_EQ(AllInstruments()[i], instrument) << name;
        EXPECT_EQ(InstrumentName(instrument), name) << name;
        EXPECT_EQ(Definition(instrument).instrument, instrument) << name;
        Result<Instrument> parsed = ParseInstrument(name);
        ASSERT_TRUE(parsed.ok()) << name;
        EXPECT_EQ(*parsed, instrument) << name;
    }
}

TEST(InstrumentNameTest, UnknownNameListsTheValidOnes) {
    for (std::string name : {"", "PHQ9", "phq-9", "qids", "cssrs", " gad7"}) {
        Result<Instrument> parsed = ParseInstrument(name);
        ASSERT_FALSE(parsed.ok()) << name;
        EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << name;
        EXPECT_EQ(parsed.error().field, "instrument") << name;
        EXPECT_EQ(parsed.error().message, "unknown instrument \"" + name +
                                              "\"; expected one of phq9, gad7, madrs, qids-sr16, hamd17, pcl5, "
                                              "cssrs-screen, cadss, cadss6, moaas")
            << name;
    }
}

TEST(DefinitionTest, ItemCountsRangesAndTotals) {
    struct Case {
        Instrument instrument;
        std::vector<int> item_max;
        std::vector<int> item_numbers;
        int total_max;
        std::vector<std::string> bands;
    };
    const std::vector<int> one_to_23{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
    auto first = [&](std::size_t n) { return std::vector<int>(one_to_23.begin(), one_to_23.begin() + n); };
    const std::vector<Case> cases{
        {Instrument::kPhq9,
         std::vector<int>(9, 3),
         first(9),
         27,
         {"minimal", "mild", "moderate", "moderately_severe", "severe"}},
        {Instrument::kGad7, std::vector<int>(7, 3), first(7), 21, {"minimal", "mild", "moderate", "severe"}},
        {Instrument::kMadrs, std::vector<int>(10, 6), first(10), 60, {"normal", "mild", "moderate", "severe"}},
        {Instrument::kQidsSr16,
         std::vector<int>(16, 3),
         first(16),
         27,
         {"none", "mild", "moderate", "severe", "very_severe"}},
        {Instrument::kHamd17,
         {4, 4, 4, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2},
         first(17),
         52,
         {"none", "mild", "moderate", "severe"}},
        {Instrument::kPcl5, std::vector<int>(20, 4), first(20), 80, {"below_threshold", "provisional_ptsd"}},
        {Instrument::kCssrsScreen, std::vector<int>(7, 1), first(7), 7, {"none", "low", "moderate", "high"}},
        {Instrument::kCadss, std::vector<int>(23, 4), first(23), 92, {"none", "dissociation"}},
        {Instrument::kCadss6, std::vector<int>(6, 4), {1, 2, 6, 7, 15, 22}, 24, {"not_established"}},
        {Instrument::kMoaas, {5}, {1}, 5, {"none", "mild", "moderate_or_deeper", "unresponsive"}},
    };
    for (const Case& c : cases) {
        const InstrumentDefinition& definition = Definition(c.instrument);
        const std::string name(InstrumentName(definition.instrument));
        ASSERT_EQ(definition.items.size(), c.item_max.size()) << name;
        for (std::size_t i = 0; i < c.item_max.size(); ++i) {
            EXPECT_EQ(definition.items[i].number, c.item_numbers[i]) << name << " item " << i + 1;
            EXPECT_EQ(definition.items[i].min, 0) << name << " item " << i + 1;
            EXPECT_EQ(definition.items[i].max, c.item_max[i]) << name << " item " << i + 1;
        }
        EXPECT_EQ(definition.total_min, 0) << name;
        EXPECT_EQ(definition.total_max, c.total_max) << name;
        EXPECT_EQ(std::vector<std::string>(definition.bands.begin(), definition.bands.end()), c.bands) << name;
        EXPECT_FALSE(definition.title.empty()) << name;
        EXPECT_FALSE(definition.source.empty()) << name;
        EXPECT_FALSE(definition.licensing.empty()) << name;
    }
}

TEST(DefinitionTest, LoincOnlyWhereVerified) {
    struct Case {
        Instrument instrument;
        std::string panel;
        std::string total;
        std::string band;
        std::vector<std::string> items;  // empty: every item code must be empty
    };
    const std::vector<Case> cases{
        {Instrument::kPhq9,
         "44249-1",
         "44261-6",
         "",
         {"44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"}},
        {Instrument::kGad7,
         "69737-5",
         "70274-6",
         "",
         {"69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"}},
        // The reference marks the C-SSRS item-to-code mapping unverified (§6.8, §11): only the risk level is coded.
        {Instrument::kCssrsScreen, "", "", "93374-7", {}},
        {Instrument::kMadrs, "", "", "", {}},
        {Instrument::kQidsSr16, "", "", "", {}},
        {Instrument::kHamd17, "", "", "", {}},
        {Instrument::kPcl5, "", "", "", {}},
        {Instrument::kCadss, "", "", "", {}},
        {Instrument::kCadss6, "", "", "", {}},
        {Instrument::kMoaas, "", "", "", {}},
    };
    for (const Case& c : cases) {
        const InstrumentDefinition& definition = Definition(c.instrument);
        const std::string name(InstrumentName(definition.instrument));
        EXPECT_EQ(definition.loinc_panel, c.panel) << name;
        EXPECT_EQ(definition.loinc_total, c.total) << name;
        EXPECT_EQ(definition.loinc_band, c.band) << name;
        for (std::size_t i = 0; i < definition.items.size(); ++i) {
            EXPECT_EQ(definition.items[i].loinc, c.items.empty() ? "" : c.items[i]) << name << " item " << i + 1;
        }
        // Only the C-SSRS codes carry a caveat, and it must say why the item codes are left out.
        EXPECT_EQ(definition.loinc_note.find("item codes (93246-7 ... 93269-9) left out until their item mapping is "
                                             "verified") != std::string_view::npos,
                  c.instrument == Instrument::kCssrsScreen)
            << name;
    }
}

TEST(DefinitionTest, LicensedScalesCarryNoItemText) {
    for (Instrument instrument : {Instrument::kMadrs, Instrument::kCadss, Instrument::kCadss6}) {
        for (const ItemDefinition& item : Definition(instrument).items) {
            EXPECT_TRUE(item.topic.empty()) << InstrumentName(instrument) << " item " << item.number;
        }
    }
    for (Instrument instrument :
         {Instrument::kPhq9, Instrument::kGad7, Instrument::kQidsSr16, Instrument::kHamd17, Instrument::kCssrsScreen}) {
        for (const ItemDefinition& item : Definition(instrument).items) {
            EXPECT_FALSE(item.topic.empty()) << InstrumentName(instrument) << " item " << item.number;
        }
    }
}

// ----- totals and bands -----

struct BandCase {
    std::string description;
    Instrument instrument;
    Answers answers;
    ScaleSettings settings;
    int total;
    std::string band;
    std::string band_rule;
};

TEST(ScoreTest, EveryBandEdge) {
    const std::vector<BandCase> cases{
        {"phq9 0", Instrument::kPhq9, FillTo(Instrument::kPhq9, 0), {}, 0, "minimal", "kroenke_2001"},
        {"phq9 4", Instrument::kPhq9, FillTo(Instrument::kPhq9, 4), {}, 4, "minimal", "kroenke_2001"},
        {"phq9 5", Instrument::kPhq9, FillTo(Instrument::kPhq9, 5), {}, 5, "mild", "kroenke_2001"},
        {"phq9 9", Instrument::kPhq9, FillTo(Instrument::kPhq9, 9), {}, 9, "mild", "kroenke_2001"},
        {"phq9 10", Instrument::kPhq9, FillTo(Instrument::kPhq9, 10), {}, 10, "moderate", "kroenke_2001"},
        {"phq9 14", Instrument::kPhq9, FillTo(Instrument::kPhq9, 14), {}, 14, "moderate", "kroenke_2001"},
        {"phq9 15", Instrument::kPhq9, FillTo(Instrument::kPhq9, 15), {}, 15, "moderately_severe", "kroenke_2001"},
        {"phq9 19", Instrument::kPhq9, FillTo(Instrument::kPhq9, 19), {}, 19, "moderately_severe", "kroenke_2001"},
        {"phq9 20", Instrument::kPhq9, FillTo(Instrument::kPhq9, 20), {}, 20, "severe", "kroenke_2001"},
        {"phq9 27", Instrument::kPhq9, FillTo(Instrument::kPhq9, 27), {}, 27, "severe", "kroenke_2001"},

        {"gad7 0", Instrument::kGad7, FillTo(Instrument::kGad7, 0), {}, 0, "minimal", "spitzer_2006"},
        {"gad7 4", Instrument::kGad7, FillTo(Instrument::kGad7, 4), {}, 4, "minimal", "spitzer_2006"},
        {"gad7 5", Instrument::kGad7, FillTo(Instrument::kGad7, 5), {}, 5, "mild", "spitzer_2006"},
        {"gad7 9", Instrument::kGad7, FillTo(Instrument::kGad7, 9), {}, 9, "mild", "spitzer_2006"},
        {"gad7 10", Instrument::kGad7, FillTo(Instrument::kGad7, 10), {}, 10, "moderate", "spitzer_2006"},
        {"gad7 14", Instrument::kGad7, FillTo(Instrument::kGad7, 14), {}, 14, "moderate", "spitzer_2006"},
        {"gad7 15", Instrument::kGad7, FillTo(Instrument::kGad7, 15), {}, 15, "severe", "spitzer_2006"},
        {"gad7 21", Instrument::kGad7, FillTo(Instrument::kGad7, 21), {}, 21, "severe", "spitzer_2006"},

        {"madrs snaith 0", Instrument::kMadrs, FillTo(Instrument::kMadrs, 0), Snaith(), 0, "normal", "snaith_1986"},
        {"madrs snaith 6", Instrument::kMadrs, FillTo(Instrument::kMadrs, 6), Snaith(), 6, "normal", "snaith_1986"},
        {"madrs snaith 7", Instrument::kMadrs, FillTo(Instrument::kMadrs, 7), Snaith(), 7, "mild", "snaith_1986"},
        {"madrs snaith 19", Instrument::kMadrs, FillTo(Instrument::kMadrs, 19), Snaith(), 19, "mild", "snaith_1986"},
        {"madrs snaith 20", Instrument::kMadrs, FillTo(Instrument::kMadrs, 20), Snaith(), 20, "moderate",
         "snaith_1986"},
        {"madrs snaith 34", Instrument::kMadrs, FillTo(Instrument::kMadrs, 34), Snaith(), 34, "moderate",
         "snaith_1986"},
        {"madrs snaith 35", Instrument::kMadrs, FillTo(Instrument::kMadrs, 35), Snaith(), 35, "severe", "snaith_1986"},
        {"madrs snaith 60", Instrument::kMadrs, FillTo(Instrument::kMadrs, 60), Snaith(), 60, "severe", "snaith_1986"},
        {"madrs alternative 0", Instrument::kMadrs, FillTo(Instrument::kMadrs, 0), Alternative(), 0, "normal",
         "alternative"},
        {"madrs alternative 12", Instrument::kMadrs, FillTo(Instrument::kMadrs, 12), Alternative(), 12, "normal",
         "alternative"},
        {"madrs alternative 13", Instrument::kMadrs, FillTo(Instrument::kMadrs, 13), Alternative(), 13, "mild",
         "alternative"},
        {"madrs alternative 24", Instrument::kMadrs, FillTo(Instrument::kMadrs, 24), Alternative(), 24, "mild",
         "alternative"},
        {"madrs alternative 25", Instrument::kMadrs, FillTo(Instrument::kMadrs, 25), Alternative(), 25, "moderate",
         "alternative"},
        {"madrs alternative 34", Instrument::kMadrs, FillTo(Instrument::kMadrs, 34), Alternative(), 34, "moderate",
         "alternative"},
        {"madrs alternative 35", Instrument::kMadrs, FillTo(Instrument::kMadrs, 35), Alternative(), 35, "severe",
         "alternative"},
        {"madrs alternative 60", Instrument::kMadrs, FillTo(Instrument::kMadrs, 60), Alternative(), 60, "severe",
         "alternative"},

        {"qids 0", Instrument::kQidsSr16, QidsFromDomains({0, 0, 0, 0, 0, 0, 0, 0, 0}), {}, 0, "none", "rush_2003"},
        {"qids 5", Instrument::kQidsSr16, QidsFromDomains({3, 2, 0, 0, 0, 0, 0, 0, 0}), {}, 5, "none", "rush_2003"},
        {"qids 6", Instrument::kQidsSr16, QidsFromDomains({3, 3, 0, 0, 0, 0, 0, 0, 0}), {}, 6, "mild", "rush_2003"},
        {"qids 10", Instrument::kQidsSr16, QidsFromDomains({3, 3, 3, 1, 0, 0, 0, 0, 0}), {}, 10, "mild", "rush_2003"},
        {"qids 11",
         Instrument::kQidsSr16,
         QidsFromDomains({3, 3, 3, 2, 0, 0, 0, 0, 0}),
         {},
         11,
         "moderate",
         "rush_2003"},
        {"qids 15",
         Instrument::kQidsSr16,
         QidsFromDomains({3, 3, 3, 3, 3, 0, 0, 0, 0}),
         {},
         15,
         "moderate",
         "rush_2003"},
        {"qids 16", Instrument::kQidsSr16, QidsFromDomains({3, 3, 3, 3, 3, 0, 1, 0, 0}), {}, 16, "severe", "rush_2003"},
        {"qids 20", Instrument::kQidsSr16, QidsFromDomains({3, 3, 3, 3, 3, 0, 3, 2, 0}), {}, 20, "severe", "rush_2003"},
        {"qids 21",
         Instrument::kQidsSr16,
         QidsFromDomains({3, 3, 3, 3, 3, 0, 3, 3, 0}),
         {},
         21,
         "very_severe",
         "rush_2003"},
        {"qids 27",
         Instrument::kQidsSr16,
         QidsFromDomains({3, 3, 3, 3, 3, 3, 3, 3, 3}),
         {},
         27,
         "very_severe",
         "rush_2003"},

        {"hamd17 0", Instrument::kHamd17, FillTo(Instrument::kHamd17, 0), {}, 0, "none", "zimmerman_2013"},
        {"hamd17 7", Instrument::kHamd17, FillTo(Instrument::kHamd17, 7), {}, 7, "none", "zimmerman_2013"},
        {"hamd17 8", Instrument::kHamd17, FillTo(Instrument::kHamd17, 8), {}, 8, "mild", "zimmerman_2013"},
        {"hamd17 16", Instrument::kHamd17, FillTo(Instrument::kHamd17, 16), {}, 16, "mild", "zimmerman_2013"},
        {"hamd17 17", Instrument::kHamd17, FillTo(Instrument::kHamd17, 17), {}, 17, "moderate", "zimmerman_2013"},
        {"hamd17 23", Instrument::kHamd17, FillTo(Instrument::kHamd17, 23), {}, 23, "moderate", "zimmerman_2013"},
        {"hamd17 24", Instrument::kHamd17, FillTo(Instrument::kHamd17, 24), {}, 24, "severe", "zimmerman_2013"},
        {"hamd17 52", Instrument::kHamd17, FillTo(Instrument::kHamd17, 52), {}, 52, "severe", "zimmerman_2013"},

        {"pcl5 0", Instrument::kPcl5, FillTo(Instrument::kPcl5, 0), {}, 0, "below_threshold", "pcl5_total>=33"},
        {"pcl5 cut 33, 32", Instrument::kPcl5, FillTo(Instrument::kPcl5, 32), Pcl5CutOff(33), 32, "below_threshold",
         "pcl5_total>=33"},
        {"pcl5 cut 33, 33", Instrument::kPcl5, FillTo(Instrument::kPcl5, 33), Pcl5CutOff(33), 33, "provisional_ptsd",
         "pcl5_total>=33"},
        {"pcl5 cut 32, 31", Instrument::kPcl5, FillTo(Instrument::kPcl5, 31), Pcl5CutOff(32), 31, "below_threshold",
         "pcl5_total>=32"},
        {"pcl5 cut 32, 32", Instrument::kPcl5, FillTo(Instrument::kPcl5, 32), Pcl5CutOff(32), 32, "provisional_ptsd",
         "pcl5_total>=32"},
        {"pcl5 cut 31, 30", Instrument::kPcl5, FillTo(Instrument::kPcl5, 30), Pcl5CutOff(31), 30, "below_threshold",
         "pcl5_total>=31"},
        {"pcl5 cut 31, 31", Instrument::kPcl5, FillTo(Instrument::kPcl5, 31), Pcl5CutOff(31), 31, "provisional_ptsd",
         "pcl5_total>=31"},
        {"pcl5 80", Instrument::kPcl5, FillTo(Instrument::kPcl5, 80), {}, 80, "provisional_ptsd", "pcl5_total>=33"},

        {"cadss 0", Instrument::kCadss, FillTo(Instrument::kCadss, 0), {}, 0, "none", "cadss_total>4"},
        {"cadss 4", Instrument::kCadss, FillTo(Instrument::kCadss, 4), {}, 4, "none", "cadss_total>4"},
        {"cadss 5", Instrument::kCadss, FillTo(Instrument::kCadss, 5), {}, 5, "dissociation", "cadss_total>4"},
        {"cadss 92", Instrument::kCadss, FillTo(Instrument::kCadss, 92), {}, 92, "dissociation", "cadss_total>4"},
        {"cadss above 2, 2", Instrument::kCadss, FillTo(Instrument::kCadss, 2), CadssAbove(2), 2, "none",
         "cadss_total>2"},
        {"cadss above 2, 3", Instrument::kCadss, FillTo(Instrument::kCadss, 3), CadssAbove(2), 3, "dissociation",
         "cadss_total>2"},

        {"cadss6 0",
         Instrument::kCadss6,
         FillTo(Instrument::kCadss6, 0),
         {},
         0,
         "not_established",
         "no_validated_cutoff"},
        {"cadss6 5",
         Instrument::kCadss6,
         FillTo(Instrument::kCadss6, 5),
         {},
         5,
         "not_established",
         "no_validated_cutoff"},
        {"cadss6 24",
         Instrument::kCadss6,
         FillTo(Instrument::kCadss6, 24),
         {},
         24,
         "not_established",
         "no_validated_cutoff"},

        {"moaas 5", Instrument::kMoaas, {5}, {}, 5, "none", "spravato_moaas"},
        {"moaas 4", Instrument::kMoaas, {4}, {}, 4, "mild", "spravato_moaas"},
        {"moaas 3", Instrument::kMoaas, {3}, {}, 3, "moderate_or_deeper", "spravato_moaas"},
        {"moaas 2", Instrument::kMoaas, {2}, {}, 2, "moderate_or_deeper", "spravato_moaas"},
        {"moaas 1", Instrument::kMoaas, {1}, {}, 1, "moderate_or_deeper", "spravato_moaas"},
        {"moaas 0", Instrument::kMoaas, {0}, {}, 0, "unresponsive", "spravato_moaas"},
    };
    for (const BandCase& c : cases) {
        Result<ScaleResult> result = Score(c.instrument, c.answers, c.settings);
        ASSERT_TRUE(result.ok()) << c.description << ": " << result.error().ToString();
        EXPECT_EQ(result->instrument, c.instrument) << c.description;
        EXPECT_EQ(result->answers, c.answers) << c.description;
        EXPECT_EQ(result->total, c.total) << c.description;
        EXPECT_EQ(result->band, c.band) << c.description;
        EXPECT_EQ(result->band_rule, c.band_rule) << c.description;
    }
}

// ----- QIDS-SR16 domains -----

TEST(ScoreTest, QidsTakesTheWorstItemOfEachMultiItemDomain) {
    struct Case {
        std::string description;
        Answers answers;
        int total;
        std::vector<int> domain_scores;  // sleep, sad_mood, appetite_weight, concentration, self_view,
                                         // suicidal_ideation, interest, energy, psychomotor
    };
    const std::vector<Case> cases{
        // Summing all 16 would give 48.
        {"all items 3", Answers(16, 3), 27, {3, 3, 3, 3, 3, 3, 3, 3, 3}},
        // Summing all 16 would give 6+1+6+0+0+0+0+0+3 = 16.
        {"mixed sleep, appetite and psychomotor",
         {1, 3, 2, 0, 1, 2, 0, 1, 3, 0, 0, 0, 0, 0, 1, 2},
         9,
         {3, 1, 3, 0, 0, 0, 0, 0, 2}},
        {"worst sleep item is the last",
         {0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
         2,
         {2, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"single-item domains add", {0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 3, 1, 2, 3, 0, 0}, 12, {0, 1, 0, 2, 3, 1, 2, 3, 0}},
        {"psychomotor second item", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3}, 3, {0, 0, 0, 0, 0, 0, 0, 0, 3}},
    };
    const std::vector<std::string> names{"sleep",         "sad_mood",  "appetite_weight",
                                         "concentration", "self_view", "suicidal_ideation",
                                         "interest",      "energy",    "psychomotor"};
    const std::vector<std::vector<int>> items{{1, 2, 3, 4}, {5}, {6, 7, 8, 9}, {10}, {11}, {12}, {13}, {14}, {15, 16}};
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(Instrument::kQidsSr16, c.answers, {});
        ASSERT_TRUE(result.ok()) << c.description;
        EXPECT_EQ(result->total, c.total) << c.description;
        ASSERT_EQ(result->subscales.size(), 9u) << c.description;
        for (std::size_t d = 0; d < 9; ++d) {
            EXPECT_EQ(result->subscales[d].name, names[d]) << c.description;
            EXPECT_EQ(result->subscales[d].items, items[d]) << c.description;
            EXPECT_EQ(result->subscales[d].score, c.domain_scores[d]) << c.description << " domain " << names[d];
            EXPECT_EQ(result->subscales[d].max_score, 3) << c.description;
        }
        EXPECT_FALSE(result->pcl5_cluster_rule.has_value()) << c.description;
        EXPECT_FALSE(result->phq9_syndrome.has_value()) << c.description;
    }
}

// ----- PCL-5 clusters -----

TEST(ScoreTest, Pcl5ClusterSumsAndDsm5Rule) {
    struct Case {
        std::string description;
        Answers answers;
        std::array<int, 4> sums;
        std::array<int, 4> endorsed;
        bool met;
    };
    auto with = [](std::vector<std::pair<int, int>> item_values) {
        Answers answers(20, 0);
        for (auto [item, value] : item_values) {
            answers[static_cast<std::size_t>(item - 1)] = value;
        }
        return answers;
    };
    const std::vector<Case> cases{
        {"minimum to meet: 1 B, 1 C, 2 D, 2 E at 2",
         with({{1, 2}, {6, 2}, {8, 2}, {14, 2}, {15, 2}, {20, 2}}),
         {2, 2, 4, 4},
         {1, 1, 2, 2},
         true},
        {"no B", with({{6, 2}, {8, 2}, {14, 2}, {15, 2}, {20, 2}}), {0, 2, 4, 4}, {0, 1, 2, 2}, false},
        {"no C", with({{1, 2}, {8, 2}, {14, 2}, {15, 2}, {20, 2}}), {2, 0, 4, 4}, {1, 0, 2, 2}, false},
        {"one D", with({{1, 2}, {7, 2}, {8, 2}, {15, 2}, {20, 2}}), {2, 2, 2, 4}, {1, 1, 1, 2}, false},
        {"one E", with({{5, 2}, {6, 2}, {8, 2}, {14, 2}, {20, 2}}), {2, 2, 4, 2}, {1, 1, 2, 1}, false},
        {"items at 1 are not endorsed", Answers(20, 1), {5, 2, 7, 6}, {0, 0, 0, 0}, false},
        {"all items at 4", Answers(20, 4), {20, 8, 28, 24}, {5, 2, 7, 6}, true},
    };
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(Instrument::kPcl5, c.answers, {});
        ASSERT_TRUE(result.ok()) << c.description;
        ASSERT_EQ(result->subscales.size(), 4u) << c.description;
        const std::array<std::string, 4> names{"b_intrusions", "c_avoidance", "d_negative_cognitions_mood",
                                               "e_arousal_reactivity"};
        const std::array<int, 4> max{20, 8, 28, 24};
        for (std::size_t k = 0; k < 4; ++k) {
            EXPECT_EQ(result->subscales[k].name, names[k]) << c.description;
            EXPECT_EQ(result->subscales[k].score, c.sums[k]) << c.description << " " << names[k];
            EXPECT_EQ(result->subscales[k].max_score, max[k]) << c.description << " " << names[k];
        }
        EXPECT_EQ(result->subscales[1].items, (std::vector<int>{6, 7})) << c.description;
        ASSERT_TRUE(result->pcl5_cluster_rule.has_value()) << c.description;
        EXPECT_EQ(result->pcl5_cluster_rule->b_endorsed, c.endorsed[0]) << c.description;
        EXPECT_EQ(result->pcl5_cluster_rule->c_endorsed, c.endorsed[1]) << c.description;
        EXPECT_EQ(result->pcl5_cluster_rule->d_endorsed, c.endorsed[2]) << c.description;
        EXPECT_EQ(result->pcl5_cluster_rule->e_endorsed, c.endorsed[3]) << c.description;
        EXPECT_EQ(result->pcl5_cluster_rule->met, c.met) << c.description;
    }
}

// ----- PHQ-9 diagnostic algorithm -----

TEST(ScoreTest, Phq9Syndrome) {
    struct Case {
        std::string description;
        Answers answers;
        Phq9Syndrome syndrome;
        std::string name;
    };
    const std::vector<Case> cases{
        {"nothing", Answers(9, 0), Phq9Syndrome::kNone, "none"},
        {"all items at 1", Answers(9, 1), Phq9Syndrome::kNone, "none"},
        {"core item alone", {2, 0, 0, 0, 0, 0, 0, 0, 0}, Phq9Syndrome::kNone, "none"},
        {"2 symptoms with item 1",
         {2, 0, 2, 0, 0, 0, 0, 0, 0},
         Phq9Syndrome::kOtherDepressive,
         "other_depressive_syndrome"},
        {"4 symptoms with item 2",
         {0, 3, 2, 2, 2, 0, 0, 0, 0},
         Phq9Syndrome::kOtherDepressive,
         "other_depressive_syndrome"},
        {"5 symptoms with item 1",
         {2, 0, 2, 2, 2, 2, 0, 0, 0},
         Phq9Syndrome::kMajorDepressive,
         "major_depressive_syndrome"},
        {"item 9 at 1 counts as present",
         {2, 0, 2, 2, 2, 0, 0, 0, 1},
         Phq9Syndrome::kMajorDepressive,
         "major_depressive_syndrome"},
        {"item 9 at 1 makes 2 with a core item",
         {0, 2, 0, 0, 0, 0, 0, 0, 1},
         Phq9Syndrome::kOtherDepressive,
         "other_depressive_syndrome"},
        {"6 symptoms without item 1 or 2", {1, 1, 3, 3, 3, 3, 3, 3, 0}, Phq9Syndrome::kNone, "none"},
    };
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(Instrument::kPhq9, c.answers, {});
        ASSERT_TRUE(result.ok()) << c.description;
        ASSERT_TRUE(result->phq9_syndrome.has_value()) << c.description;
        EXPECT_EQ(*result->phq9_syndrome, c.syndrome) << c.description;
        EXPECT_EQ(Phq9SyndromeName(*result->phq9_syndrome), c.name) << c.description;
        EXPECT_TRUE(result->subscales.empty()) << c.description;
    }
}

// ----- C-SSRS screener -----

TEST(ScoreTest, CssrsEveryPath) {
    struct Case {
        std::string description;
        Answers answers;  // Q1..Q6, within 3 months
        std::string band;
        int total;
    };
    const std::vector<Case> cases{
        {"all no", {0, 0, 0, 0, 0, 0, 0}, "none", 0},
        {"Q1 wish to be dead only", {1, 0, 0, 0, 0, 0, 0}, "low", 1},
        {"Q2 thoughts only", {0, 1, 0, 0, 0, 0, 0}, "low", 1},
        {"Q1 and Q2", {1, 1, 0, 0, 0, 0, 0}, "low", 2},
        {"Q3 method", {1, 1, 1, 0, 0, 0, 0}, "moderate", 3},
        {"Q3 without Q1", {0, 1, 1, 0, 0, 0, 0}, "moderate", 2},
        {"Q6 behaviour more than 3 months ago", {0, 0, 0, 0, 0, 1, 0}, "moderate", 1},
        {"Q1 and old behaviour", {1, 0, 0, 0, 0, 1, 0}, "moderate", 2},
        {"Q4 intent", {1, 1, 0, 1, 0, 0, 0}, "high", 3},
        {"Q5 plan with intent", {0, 1, 0, 0, 1, 0, 0}, "high", 2},
        {"Q3 and Q4", {1, 1, 1, 1, 0, 0, 0}, "high", 4},
        {"Q6 within 3 months", {0, 0, 0, 0, 0, 1, 1}, "high", 2},
        {"Q3 and old behaviour", {1, 1, 1, 0, 0, 1, 0}, "moderate", 4},
        {"Q3 and recent behaviour", {1, 1, 1, 0, 0, 1, 1}, "high", 5},
        {"Q2 and old behaviour", {0, 1, 0, 0, 0, 1, 0}, "moderate", 2},
        {"all yes", {1, 1, 1, 1, 1, 1, 1}, "high", 7},
    };
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(Instrument::kCssrsScreen, c.answers, {});
        ASSERT_TRUE(result.ok()) << c.description << ": " << result.error().ToString();
        EXPECT_EQ(result->band, c.band) << c.description;
        EXPECT_EQ(result->band_rule, "columbia_triage") << c.description;
        EXPECT_EQ(result->total, c.total) << c.description;
        EXPECT_EQ(result->flags, c.band == "none" ? Flags{} : Flags{"suicidality"}) << c.description;
    }
}

TEST(ScoreTest, CssrsInvalidCombinationsNameTheItem) {
    struct Case {
        std::string description;
        Answers answers;
        std::string field;
        std::string message;
    };
    const std::string skip_message =
        " must be 0 when Q2 (thoughts of killing oneself) is 0: the screener skips Q3-Q5 after a no to Q2";
    const std::string recent_message =
        "\"within the past 3 months\" must be 0 when Q6 (suicidal behaviour) is 0: it is asked only after a yes to "
        "Q6";
    const std::vector<Case> cases{
        {"Q3 after Q2 no", {1, 0, 1, 0, 0, 0, 0}, "answers[3]", "Q3" + skip_message},
        {"Q4 after Q2 no", {0, 0, 0, 1, 0, 0, 0}, "answers[4]", "Q4" + skip_message},
        {"Q5 after Q2 no", {1, 0, 0, 0, 1, 1, 1}, "answers[5]", "Q5" + skip_message},
        {"Q3-Q5 after Q2 no names Q3 first", {0, 0, 1, 1, 1, 0, 0}, "answers[3]", "Q3" + skip_message},
        {"recent without Q6", {0, 0, 0, 0, 0, 0, 1}, "answers[7]", recent_message},
        {"recent without Q6 after ideation", {1, 1, 1, 0, 0, 0, 1}, "answers[7]", recent_message},
    };
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(Instrument::kCssrsScreen, c.answers, {});
        ASSERT_FALSE(result.ok()) << c.description;
        EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << c.description;
        EXPECT_EQ(result.error().field, c.field) << c.description;
        EXPECT_EQ(result.error().message, c.message) << c.description;
    }
}

// All 128 yes/no combinations: exactly the ones the screener's skip logic can produce are accepted.
TEST(ScoreTest, CssrsExhaustiveSkipLogic) {
    int accepted = 0;
    for (int bits = 0; bits < 128; ++bits) {
        Answers answers;
        for (int q = 0; q < 7; ++q) {
            answers.push_back((bits >> q) & 1);
        }
        const bool skipped_asked = answers[1] == 0 && (answers[2] + answers[3] + answers[4]) > 0;
        const bool recent_without_q6 = answers[5] == 0 && answers[6] == 1;
        Result<ScaleResult> result = Score(Instrument::kCssrsScreen, answers, {});
        EXPECT_EQ(result.ok(), !skipped_asked && !recent_without_q6) << "combination " << bits;
        if (result.ok()) {
            ++accepted;
            EXPECT_EQ(result->total,
                      answers[0] + answers[1] + answers[2] + answers[3] + answers[4] + answers[5] + answers[6])
                << "combination " << bits;
        }
    }
    // Q2 no: 2 (Q1) x 3 (Q6/recent) = 6; Q2 yes: 2 x 8 (Q3-Q5) x 3 = 48.
    EXPECT_EQ(accepted, 54);
}

// ----- flags -----

TEST(ScoreTest, EveryFlag) {
    struct Case {
        std::string description;
        Instrument instrument;
        Answers answers;
        ScaleSettings settings;
        Flags flags;
    };
    const std::vector<Case> cases{
        {"phq9 item 9 at 0, every other item at 3",
         Instrument::kPhq9,
         {3, 3, 3, 3, 3, 3, 3, 3, 0},
         {},
         {"probable_major_depression"}},
        {"phq9 item 9 at 1", Instrument::kPhq9, {0, 0, 0, 0, 0, 0, 0, 0, 1}, {}, {"suicidality"}},
        {"phq9 9 is below the screening cut-point", Instrument::kPhq9, {3, 3, 3, 0, 0, 0, 0, 0, 0}, {}, {}},
        {"phq9 10", Instrument::kPhq9, {3, 3, 3, 1, 0, 0, 0, 0, 0}, {}, {"probable_major_depression"}},
        {"phq9 10 with item 9",
         Instrument::kPhq9,
         {3, 3, 3, 0, 0, 0, 0, 0, 1},
         {},
         {"suicidality", "probable_major_depression"}},

        {"gad7 9", Instrument::kGad7, {3, 3, 3, 0, 0, 0, 0}, {}, {}},
        {"gad7 10", Instrument::kGad7, {3, 3, 3, 1, 0, 0, 0}, {}, {"probable_gad"}},

        {"madrs item 10 at 3", Instrument::kMadrs, {6, 6, 6, 6, 6, 6, 6, 6, 6, 3}, {}, {}},
        {"madrs item 10 at 4", Instrument::kMadrs, {0, 0, 0, 0, 0, 0, 0, 0, 0, 4}, {}, {"suicidality"}},
        {"madrs item 10 at 6", Instrument::kMadrs, {0, 0, 0, 0, 0, 0, 0, 0, 0, 6}, {}, {"suicidality"}},
        {"madrs item 10 at 2, setting 2",
         Instrument::kMadrs,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 2},
         MadrsItem10Min(2),
         {"suicidality"}},
        {"madrs item 10 at 1, setting 2", Instrument::kMadrs, {0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, MadrsItem10Min(2), {}},
        {"madrs item 10 at 3, setting 3",
         Instrument::kMadrs,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 3},
         MadrsItem10Min(3),
         {"suicidality"}},
        {"madrs item 1 at 6 is not item 10", Instrument::kMadrs, {6, 0, 0, 0, 0, 0, 0, 0, 0, 0}, {}, {}},

        {"qids all items at 3", Instrument::kQidsSr16, Answers(16, 3), {}, {"suicidality"}},
        {"qids item 12 at 1",
         Instrument::kQidsSr16,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         {},
         {"suicidality"}},
        {"qids item 12 at 0, others high",
         Instrument::kQidsSr16,
         {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 3, 3, 3, 3},
         {},
         {}},

        {"hamd17 item 3 at 0", Instrument::kHamd17, {4, 4, 0, 2, 2, 2, 4, 4, 4, 4, 4, 2, 2, 2, 4, 2, 2}, {}, {}},
        {"hamd17 item 3 at 1",
         Instrument::kHamd17,
         {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
         {},
         {"suicidality"}},

        {"cssrs none", Instrument::kCssrsScreen, {0, 0, 0, 0, 0, 0, 0}, {}, {}},
        {"cssrs low", Instrument::kCssrsScreen, {1, 0, 0, 0, 0, 0, 0}, {}, {"suicidality"}},

        {"pcl5 cluster rule met",
         Instrument::kPcl5,
         {2, 0, 0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0},
         {},
         {"dsm5_cluster_criteria_met"}},
        {"pcl5 above cut-off without the cluster rule", Instrument::kPcl5, FillTo(Instrument::kPcl5, 40), {}, {}},

        {"cadss 4", Instrument::kCadss, FillTo(Instrument::kCadss, 4), {}, {}},
        {"cadss 5", Instrument::kCadss, FillTo(Instrument::kCadss, 5), {}, {"dissociation"}},
        {"cadss 3, above 3", Instrument::kCadss, FillTo(Instrument::kCadss, 3), CadssAbove(3), {}},
        {"cadss 4, above 3", Instrument::kCadss, FillTo(Instrument::kCadss, 4), CadssAbove(3), {"dissociation"}},
        {"cadss 0, above 0", Instrument::kCadss, FillTo(Instrument::kCadss, 0), CadssAbove(0), {}},
        {"cadss 1, above 0", Instrument::kCadss, FillTo(Instrument::kCadss, 1), CadssAbove(0), {"dissociation"}},
        {"cadss6 24 raises nothing", Instrument::kCadss6, FillTo(Instrument::kCadss6, 24), {}, {}},

        {"moaas 5", Instrument::kMoaas, {5}, {}, {}},
        {"moaas 4", Instrument::kMoaas, {4}, {}, {"sedation"}},
        {"moaas 1", Instrument::kMoaas, {1}, {}, {"sedation"}},
        {"moaas 0", Instrument::kMoaas, {0}, {}, {"sedation", "loss_of_consciousness"}},
    };
    for (const Case& c : cases) {
        Result<ScaleResult> result = Score(c.instrument, c.answers, c.settings);
        ASSERT_TRUE(result.ok()) << c.description << ": " << result.error().ToString();
        EXPECT_EQ(result->flags, c.flags) << c.description;
    }
}

// ----- invalid input -----

struct ErrorCase {
    std::string description;
    Instrument instrument;
    Answers answers;
    ErrorCode code;
    std::string field;
    std::string message;
};

TEST(ScoreTest, InvalidAnswers) {
    const std::vector<ErrorCase> cases{
        {"phq9 8 answers", Instrument::kPhq9, Answers(8, 0), ErrorCode::kInvalidArgument, "answers",
         "phq9 expects 9 answers (got 8)"},
        {"phq9 with the difficulty item", Instrument::kPhq9, Answers(10, 0), ErrorCode::kInvalidArgument, "answers",
         "phq9 expects 9 answers (got 10)"},
        {"qids 9 domain values", Instrument::kQidsSr16, Answers(9, 0), ErrorCode::kInvalidArgument, "answers",
         "qids-sr16 expects 16 answers (got 9)"},
        {"cadss6 given the full 23", Instrument::kCadss6, Answers(23, 0), ErrorCode::kInvalidArgument, "answers",
         "cadss6 expects 6 answers (got 23)"},
        {"cssrs without the 3-month answer", Instrument::kCssrsScreen, Answers(6, 0), ErrorCode::kInvalidArgument,
         "answers", "cssrs-screen expects 7 answers (got 6)"},
        {"moaas 2 ratings",
         Instrument::kMoaas,
         {5, 5},
         ErrorCode::kInvalidArgument,
         "answers",
         "moaas expects 1 answers (got 2)"},
        {"phq9 negative",
         Instrument::kPhq9,
         {0, 0, -1, 0, 0, 0, 0, 0, 0},
         ErrorCode::kOutOfRange,
         "answers[3]",
         "must be between 0 and 3 (got -1)"},
        {"phq9 item 9 at 4",
         Instrument::kPhq9,
         {0, 0, 0, 0, 0, 0, 0, 0, 4},
         ErrorCode::kOutOfRange,
         "answers[9]",
         "must be between 0 and 3 (got 4)"},
        {"madrs 7",
         Instrument::kMadrs,
         {0, 7, 0, 0, 0, 0, 0, 0, 0, 0},
         ErrorCode::kOutOfRange,
         "answers[2]",
         "must be between 0 and 6 (got 7)"},
        {"hamd17 item 4 at 3",
         Instrument::kHamd17,
         {4, 4, 4, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
         ErrorCode::kOutOfRange,
         "answers[4]",
         "must be between 0 and 2 (got 3)"},
        {"hamd17 item 15 at 4 is allowed, 17 at 3 is not",
         Instrument::kHamd17,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 3},
         ErrorCode::kOutOfRange,
         "answers[17]",
         "must be between 0 and 2 (got 3)"},
        {"cssrs 2",
         Instrument::kCssrsScreen,
         {2, 0, 0, 0, 0, 0, 0},
         ErrorCode::kOutOfRange,
         "answers[1]",
         "must be between 0 and 1 (got 2)"},
        {"cssrs range checked before skip logic",
         Instrument::kCssrsScreen,
         {0, 0, 1, 0, 0, 0, 5},
         ErrorCode::kOutOfRange,
         "answers[7]",
         "must be between 0 and 1 (got 5)"},
        {"cadss6 third answer names CADSS item 6",
         Instrument::kCadss6,
         {0, 0, 5, 0, 0, 0},
         ErrorCode::kOutOfRange,
         "answers[3]",
         "original CADSS item 6 must be between 0 and 4 (got 5)"},
        {"cadss6 last answer names CADSS item 22",
         Instrument::kCadss6,
         {0, 0, 0, 0, 0, -2},
         ErrorCode::kOutOfRange,
         "answers[6]",
         "original CADSS item 22 must be between 0 and 4 (got -2)"},
        {"moaas 6", Instrument::kMoaas, {6}, ErrorCode::kOutOfRange, "answers[1]", "must be between 0 and 5 (got 6)"},
        {"moaas -1",
         Instrument::kMoaas,
         {-1},
         ErrorCode::kOutOfRange,
         "answers[1]",
         "must be between 0 and 5 (got -1)"},
    };
    for (const ErrorCase& c : cases) {
        Result<ScaleResult> result = Score(c.instrument, c.answers, {});
        ASSERT_FALSE(result.ok()) << c.description;
        EXPECT_EQ(result.error().code, c.code) << c.description;
        EXPECT_EQ(result.error().field, c.field) << c.description;
        EXPECT_EQ(result.error().message, c.message) << c.description;
    }
}

// Every instrument refuses too few and too many answers, and every item refuses one below and one above its range.
TEST(ScoreTest, EveryCountAndEveryItemRangeIsChecked) {
    for (Instrument instrument : AllInstruments()) {
        const InstrumentDefinition& definition = Definition(instrument);
        const std::string name(InstrumentName(definition.instrument));
        const std::size_t count = definition.items.size();
        for (std::size_t wrong : {std::size_t{0}, count - 1, count + 1}) {
            Result<ScaleResult> result = Score(instrument, Answers(wrong, 0), {});
            ASSERT_FALSE(result.ok()) << name << " with " << wrong;
            EXPECT_EQ(result.error().field, "answers") << name;
            EXPECT_EQ(result.error().message,
                      name + " expects " + std::to_string(count) + " answers (got " + std::to_string(wrong) + ")")
                << name;
        }
        for (std::size_t i = 0; i < count; ++i) {
            const ItemDefinition& item = definition.items[i];
            for (int bad : {item.min - 1, item.max + 1}) {
                Answers answers(count, 0);
                answers[i] = bad;
                Result<ScaleResult> result = Score(instrument, answers, {});
                ASSERT_FALSE(result.ok()) << name << " item " << i + 1 << " = " << bad;
                EXPECT_EQ(result.error().code, ErrorCode::kOutOfRange) << name << " item " << i + 1;
                EXPECT_EQ(result.error().field, "answers[" + std::to_string(i + 1) + "]") << name;
            }
            // The item's own extremes are accepted (C-SSRS needs Q2 and Q6 yes for Q3-Q5 and Q7 to be asked).
            Answers answers(count, 0);
            answers[i] = item.max;
            if (instrument == Instrument::kCssrsScreen) {
                answers[1] = 1;
                answers[5] = 1;
            }
            EXPECT_TRUE(Score(instrument, answers, {}).ok()) << name << " item " << i + 1 << " at max";
        }
    }
}

// ----- CADSS against the pre-dose rating -----

TEST(CadssDissociationFromPreDoseTest, NeedsAboveThresholdAndARise) {
    struct Case {
        std::string description;
        int pre;
        int post;
        ScaleSettings settings;
        bool dissociation;
    };
    const std::vector<Case> cases{
        {"0 -> 5", 0, 5, {}, true},
        {"0 -> 4", 0, 4, {}, false},
        {"5 -> 5 no rise", 5, 5, {}, false},
        {"6 -> 5 fall", 6, 5, {}, false},
        {"5 -> 6", 5, 6, {}, true},
        {"0 -> 92", 0, 92, {}, true},
        {"0 -> 2 with threshold 2", 0, 2, CadssAbove(2), false},
        {"0 -> 3 with threshold 2", 0, 3, CadssAbove(2), true},
    };
    for (const Case& c : cases) {
        Result<bool> result = CadssDissociationFromPreDose(c.pre, c.post, c.settings);
        ASSERT_TRUE(result.ok()) << c.description;
        EXPECT_EQ(*result, c.dissociation) << c.description;
    }
}

TEST(CadssDissociationFromPreDoseTest, RefusesTotalsOutsideTheScale) {
    struct Case {
        int pre;
        int post;
        std::string field;
        std::string message;
    };
    const std::vector<Case> cases{
        {-1, 5, "pre_dose_total", "must be between 0 and 92 (got -1)"},
        {93, 5, "pre_dose_total", "must be between 0 and 92 (got 93)"},
        {0, -1, "post_dose_total", "must be between 0 and 92 (got -1)"},
        {0, 93, "post_dose_total", "must be between 0 and 92 (got 93)"},
    };
    for (const Case& c : cases) {
        Result<bool> result = CadssDissociationFromPreDose(c.pre, c.post, {});
        ASSERT_FALSE(result.ok()) << c.pre << " -> " << c.post;
        EXPECT_EQ(result.error().code, ErrorCode::kOutOfRange) << c.pre << " -> " << c.post;
        EXPECT_EQ(result.error().field, c.field) << c.pre << " -> " << c.post;
        EXPECT_EQ(result.error().message, c.message) << c.pre << " -> " << c.post;
    }
}

TEST(DefinitionTest, WhoAnswersEachInstrumentAsItsPublicationSays) {
    const std::vector<std::pair<Instrument, Rater>> expected{
        {Instrument::kPhq9, Rater::kPatient},
        {Instrument::kGad7, Rater::kPatient},
        {Instrument::kMadrs, Rater::kClinician},
        {Instrument::kQidsSr16, Rater::kPatient},
        {Instrument::kHamd17, Rater::kClinician},
        {Instrument::kPcl5, Rater::kPatient},
        {Instrument::kCssrsScreen, Rater::kClinicianOrPatient},
        {Instrument::kCadss, Rater::kClinician},
        {Instrument::kCadss6, Rater::kClinician},
        {Instrument::kMoaas, Rater::kClinician},
    };
    ASSERT_EQ(expected.size(), AllInstruments().size());
    for (const auto& [instrument, rater] : expected) {
        EXPECT_EQ(Definition(instrument).rater, rater) << InstrumentName(instrument);
        EXPECT_FALSE(Definition(instrument).rater_source.empty()) << InstrumentName(instrument);
    }
}

TEST(CheckSelfReportTest, PatientsRecordOnlyPatientReportedInstrumentsDatedNow) {
    const TimePoint now = TimePoint{} + std::chrono::hours{24 * 365 * 56};
    ClinicSettings cssrs_allowed;
    cssrs_allowed.scales.cssrs_screen_self_report = CssrsSelfReport::kPatientAllowed;
    struct Case {
        std::string name;
        Instrument instrument;
        std::chrono::minutes offset;  // assessed_at - now
        ClinicSettings settings;
        std::optional<ErrorCode> code;  // nullopt: allowed
        std::string field;
    };
    const std::vector<Case> cases{
        {"phq9 now", Instrument::kPhq9, std::chrono::minutes{0}, {}, std::nullopt, ""},
        {"gad7", Instrument::kGad7, std::chrono::minutes{0}, {}, std::nullopt, ""},
        {"qids-sr16", Instrument::kQidsSr16, std::chrono::minutes{0}, {}, std::nullopt, ""},
        {"pcl5", Instrument::kPcl5, std::chrono::minutes{0}, {}, std::nullopt, ""},
        {"madrs", Instrument::kMadrs, std::chrono::minutes{0}, {}, ErrorCode::kPermissionDenied, "instrument"},
        {"hamd17", Instrument::kHamd17, std::chrono::minutes{0}, {}, ErrorCode::kPermissionDenied, "instrument"},
        {"cadss", Instrument::kCadss, std::chrono::minutes{0}, {}, ErrorCode::kPermissionDenied, "instrument"},
        {"cadss6", Instrument::kCadss6, std::chrono::minutes{0}, {}, ErrorCode::kPermissionDenied, "instrument"},
        {"moaas", Instrument::kMoaas, std::chrono::minutes{0}, {}, ErrorCode::kPermissionDenied, "instrument"},
        {"cssrs by default",
         Instrument::kCssrsScreen,
         std::chrono::minutes{0},
         {},
         ErrorCode::kPermissionDenied,
         "instrument"},
        {"cssrs when allowed", Instrument::kCssrsScreen, std::chrono::minutes{0}, cssrs_allowed, std::nullopt, ""},
        {"madrs even when cssrs allowed", Instrument::kMadrs, std::chrono::minutes{0}, cssrs_allowed,
         ErrorCode::kPermissionDenied, "instrument"},
        {"skew ahead", Instrument::kPhq9, std::chrono::minutes{5}, {}, std::nullopt, ""},
        {"past skew ahead", Instrument::kPhq9, std::chrono::minutes{6}, {}, ErrorCode::kInvalidArgument, "assessed_at"},
        {"skew behind", Instrument::kPhq9, std::chrono::minutes{-5}, {}, std::nullopt, ""},
        {"past skew behind",
         Instrument::kPhq9,
         std::chrono::minutes{-6},
         {},
         ErrorCode::kInvalidArgument,
         "assessed_at"},
        {"a late entry for staff",
         Instrument::kPhq9,
         std::chrono::minutes{-60},
         {},
         ErrorCode::kInvalidArgument,
         "assessed_at"},
        {"a week ago",
         Instrument::kPhq9,
         std::chrono::minutes{-7 * 24 * 60},
         {},
         ErrorCode::kInvalidArgument,
         "assessed_at"},
    };
    for (const Case& c : cases) {
        const Status status = CheckSelfReport(c.instrument, now + c.offset, now, c.settings);
        if (!c.code) {
            EXPECT_TRUE(status.ok()) << c.name << ": " << status.error().ToString();
            continue;
        }
        ASSERT_FALSE(status.ok()) << c.name;
        EXPECT_EQ(status.error().code, *c.code) << c.name;
        EXPECT_EQ(status.error().field, c.field) << c.name;
    }
}

TEST(CheckSelfReportTest, RefusalsSayWhyAndWhatAPatientMayRecord) {
    const TimePoint now = TimePoint{} + std::chrono::hours{24 * 365 * 56};
    const Status madrs = CheckSelfReport(Instrument::kMadrs, now, now, {});
    ASSERT_FALSE(madrs.ok());
    EXPECT_EQ(madrs.error().message,
              "madrs is rated by a clinician; a patient records only phq9, gad7, qids-sr16, pcl5");
    const Status cssrs = CheckSelfReport(Instrument::kCssrsScreen, now, now, {});
    ASSERT_FALSE(cssrs.ok());
    EXPECT_EQ(cssrs.error().message,
              "cssrs-screen needs a clinician's follow-up and this clinic keeps it clinician-only "
              "(scales.cssrs_screen_self_report); a patient records only phq9, gad7, qids-sr16, pcl5");
    const Status late = CheckSelfReport(Instrument::kPhq9, now - std::chrono::minutes{6}, now, {});
    ASSERT_FALSE(late.ok());
    EXPECT_EQ(late.error().message,
              "a patient's answers are dated when they are given: at most 5 min (records.clock_skew_minutes) "
              "before the server's clock");
}

TEST(ScaleNamesTest, EveryEnumeratorHasAName) {
    EXPECT_EQ(testing::UnnamedEnumerators(kInstrumentNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kPhq9SyndromeNames), std::vector<int>{});
    EXPECT_EQ(testing::UnnamedEnumerators(kRaterNames), std::vector<int>{});
}

}  // namespace
}  // namespace kclinic::clinical
