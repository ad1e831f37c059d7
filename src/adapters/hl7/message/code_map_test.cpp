#include "adapters/hl7/message/code_map.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::hl7 {
namespace {

// One OBX as a monitor sends it, and what kclinic must make of it.
struct MappingCase {
    std::string obx;  // the segment, without its number
    // Mapped: the LOINC code, value and unit; unmapped: an empty loinc and the reason.
    std::string loinc;
    std::optional<double> value;
    std::string unit;
    std::string reason;
};

MappedObservations MapOne(const std::string& obx) {
    const std::string text = "MSH|^~\\&|M||||202612071400||ORU^R01|1|P|2.6\rOBX|1|" + obx + "\r";
    auto parsed = ParseOruR01(text);
    EXPECT_TRUE(parsed.ok()) << obx << ": " << (parsed.ok() ? "" : parsed.error().message);
    return parsed.ok() ? MapObservations(parsed.value()) : MappedObservations{};
}

TEST(CodeMapTest, MapsLoincMdcAndPhilipsCodesWithTheirUnits) {
    const std::vector<MappingCase> cases = {
        // LOINC, as is.
        {"NM|8867-4^Heart rate^LN||72|/min|||||F", "8867-4", 72, "/min", ""},
        {"NM|8867-4^Heart rate^http://loinc.org||72|{beats}/min|||||F", "8867-4", 72, "/min", ""},
        {"NM|59408-5^SpO2^LN||97|%|||||F", "59408-5", 97, "%", ""},
        {"NM|8480-6^^LN||120|mm[Hg]|||||F", "8480-6", 120, "mm[Hg]", ""},
        {"NM|8310-5^^LN||98.6|[degF]|||||F", "8310-5", 37, "Cel", ""},
        {"NM|9279-1||14|/min|||||F", "9279-1", 14, "/min", ""},  // no system, but a kclinic vital sign
        {"NM|2339-0^Glucose^LN||5.4|mmol/L|||||F", "", std::nullopt, "",
         "2339-0^Glucose^LN: OBX-6 (units \"mmol/L\") is not a unit kclinic knows, so the value cannot be read "
         "safely"},
        {"NM|29463-7^Weight^LN||72|kg|||||F", "29463-7", 72, "kg", ""},
        // IEEE 11073 MDC, by code, by reference id, with MDC units.
        {"NM|147842^MDC_ECG_HEART_RATE^MDC||75|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F", "8867-4", 75, "/min", ""},
        {"NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC||76|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||F", "8867-4", 76, "/min", ""},
        {"NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||120|266016^MDC_DIM_MMHG^MDC|||||F", "8480-6", 120, "mm[Hg]", ""},
        {"NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||16|265987^MDC_DIM_KILO_PASCAL^MDC|||||F", "8462-4", 120, "mm[Hg]",
         ""},
        {"NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC||93|mmHg|||||F", "8478-0", 93, "mm[Hg]", ""},
        {"NM|150033^MDC_PRESS_BLD_ART_SYS^MDC||131|266016^MDC_DIM_MMHG^MDC|||||F", "8480-6", 131, "mm[Hg]", ""},
        {"NM|150034^MDC_PRESS_BLD_ART_DIA^MDC||71|266016^MDC_DIM_MMHG^MDC|||||F", "8462-4", 71, "mm[Hg]", ""},
        {"NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||96|262688^MDC_DIM_PERCENT^MDC|||||F", "59408-5", 96, "%", ""},
        {"NM|151562^MDC_RESP_RATE^MDC||13|264928^MDC_DIM_RESP_PER_MIN^MDC|||||F", "9279-1", 13, "/min", ""},
        {"NM|150364^MDC_TEMP_BODY^MDC||36.6|268192^MDC_DIM_DEGC^MDC|||||F", "8310-5", 36.6, "Cel", ""},
        {"NM|150344^MDC_TEMP^MDC||100.4|266560^MDC_DIM_FAHR^MDC|||||F", "8310-5", 38, "Cel", ""},
        {"NM|^MDC_PRESS_BLD_NONINV_SYS^MDC||118|mmHg|||||F", "8480-6", 118, "mm[Hg]", ""},
        {"NM|150021^^MDC||118|mmHg|||||F", "8480-6", 118, "mm[Hg]", ""},
        {"NM|150021^MDC_PRESS_BLD_NONINV_SYS||118|mmHg|||||F", "8480-6", 118, "mm[Hg]", ""},  // no system: ref id
        // Philips MDIL: code, or the label alone.
        {"NM|0002-4182^HR^MDIL|0|80|0004-0aa0^bpm^MDIL|||||F", "8867-4", 80, "/min", ""},
        {"NM|0002-4BB8^SpO2^MDIL||100|0004-0220^%^MDIL|||||F", "59408-5", 100, "%", ""},
        {"NM|0002-4a06^NBPd^MDIL||69|0004-0f20^mmHg^MDIL|||||F", "8462-4", 69, "mm[Hg]", ""},
        {"NM|0002-500a^RR^MDIL|0|30|0004-0ae0^rpm^MDIL|||||F", "9279-1", 30, "/min", ""},
        {"NM|0002-4b60^Tcore^MDIL|0|37.2|0004-17a0^\xC2\xB0"
         "C^MDIL|||||F",
         "8310-5", 37.2, "Cel", ""},
        {"NM|0002^NBPs^MDIL||121|mmHg|||||F", "8480-6", 121, "mm[Hg]", ""},
        // Kept raw, with the reason.
        {"NM|150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC||8|266016^MDC_DIM_MMHG^MDC|||||F", "", std::nullopt, "",
         "150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC is not in kclinic's code map"},
        {"NM|150457^MDC_PULS_OXIM_PULS_RATE^MDC||76|264864|||||F", "", std::nullopt, "",
         "150457^MDC_PULS_OXIM_PULS_RATE^MDC: code 150457 is not the code of MDC_PULS_OXIM_PULS_RATE (149530); kept "
         "raw rather than guessed"},
        {"NM|147842^Heart rate^MDC||75|bpm|||||F", "8867-4", 75, "/min", ""},  // a display name, not a ref id
        {"NM|150456^MDC_PRESS_BLD_NONINV_SYS^MDC||96|%|||||F", "", std::nullopt, "",
         "150456^MDC_PRESS_BLD_NONINV_SYS^MDC: code 150456 is MDC_PULS_OXIM_SAT_O2 but \"MDC_PRESS_BLD_NONINV_SYS\" "
         "is 150021; kept raw rather than guessed"},
        {"NM|HR^Heart rate^99VENDOR||72|/min|||||F", "", std::nullopt, "",
         "HR^Heart rate^99VENDOR is in coding system \"99VENDOR\", which kclinic's code map does not hold (it maps "
         "LOINC, MDC and Philips MDIL)"},
        {"NM|8867-4^Heart rate^LN||72||||||F", "", std::nullopt, "",
         "8867-4^Heart rate^LN: OBX-6 (units \"\") is empty, so the value cannot be read safely"},
        {"NM|8867-4^Heart rate^LN||72|mm[Hg]|||||F", "", std::nullopt, "",
         "8867-4^Heart rate^LN: OBX-6 (units \"mm[Hg]\") does not measure heart_rate, which is recorded in /min"},
        {"SN|8480-6^^LN||<^90|mm[Hg]|||||F", "", std::nullopt, "",
         "8480-6^^LN: OBX-5 (\"<^90\", value type SN) is not one number, so it cannot be charted as a vital sign"},
        {"CWE|59408-5^^LN||LOW^Low^L|%|||||F", "", std::nullopt, "",
         "59408-5^^LN: OBX-5 (\"LOW^Low^L\", value type CWE) is not one number, so it cannot be charted as a vital "
         "sign"},
    };
    for (const MappingCase& c : cases) {
        const MappedObservations mapped = MapOne(c.obx);
        if (c.loinc.empty()) {
            ASSERT_EQ(mapped.readings.size(), 0U) << c.obx;
            ASSERT_EQ(mapped.unmapped.size(), 1U) << c.obx;
            EXPECT_EQ(mapped.unmapped[0].reason, c.reason) << c.obx;
            continue;
        }
        ASSERT_EQ(mapped.unmapped.size(), 0U) << c.obx << ": " << mapped.unmapped[0].reason;
        ASSERT_EQ(mapped.readings.size(), 1U) << c.obx;
        const MappedReading& reading = mapped.readings[0];
        EXPECT_EQ(reading.loinc, c.loinc) << c.obx;
        ASSERT_TRUE(reading.value.has_value()) << c.obx;
        EXPECT_NEAR(*reading.value, *c.value, 1e-9) << c.obx;
        EXPECT_EQ(reading.ucum_unit, c.unit) << c.obx;
        EXPECT_TRUE(reading.valid) << c.obx;
    }
}

TEST(CodeMapTest, KeepsInvalidReadingsAndSkipsContainmentRows) {
    const std::string text =
        "MSH|^~\\&|M||||202612071400||ORU^R01|1|P|2.6\r"
        "OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X\r"
        "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1||262688^MDC_DIM_PERCENT^MDC|||||X|||||||EUI\r"
        "OBX|3|NM|0002-4182^HR^MDIL||0|0004-0aa0^bpm^MDIL|||||W\r";
    auto parsed = ParseOruR01(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const MappedObservations mapped = MapObservations(parsed.value());
    EXPECT_EQ(mapped.containment_rows, 1U);
    EXPECT_TRUE(mapped.unmapped.empty());
    ASSERT_EQ(mapped.readings.size(), 2U);
    EXPECT_EQ(mapped.readings[0].loinc, "59408-5");
    EXPECT_FALSE(mapped.readings[0].value.has_value());
    EXPECT_EQ(mapped.readings[0].ucum_unit, "%");
    EXPECT_FALSE(mapped.readings[0].valid);
    EXPECT_EQ(mapped.readings[0].invalid_reason, "OBX-11 is X, which means the result cannot be obtained");
    EXPECT_EQ(mapped.readings[0].equipment_id, "EUI");
    EXPECT_EQ(mapped.readings[0].sub_id, "1.0.1.1");
    EXPECT_EQ(mapped.readings[1].value, 0);
    EXPECT_FALSE(mapped.readings[1].valid);
    EXPECT_EQ(mapped.readings[1].invalid_reason, "OBX-11 is W, which marks the result as wrong");
}

TEST(CodeMapTest, WarnsOfEachUnmappedObservation) {
    const MappedObservations mapped = MapOne("NM|150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC||8|mmHg|||||F");
    const std::vector<Hl7Error> warnings = UnmappedWarnings(mapped);
    ASSERT_EQ(warnings.size(), 1U);
    EXPECT_EQ(warnings[0].ack, AckCode::kAccept);
    EXPECT_EQ(warnings[0].severity, Severity::kWarning);
    EXPECT_EQ(warnings[0].condition, ErrorCondition::kTableValueNotFound);
    EXPECT_EQ(warnings[0].location.ToString(), "OBX-3");
    EXPECT_EQ(warnings[0].message,
              "OBX-3: 150087^MDC_PRESS_BLD_VEN_CENT_MEAN^MDC is not in kclinic's code map; kept raw, not charted");
}

TEST(CodeMapTest, PairsTheComponentsOfEachBloodPressure) {
    const std::string text =
        "MSH|^~\\&|M||||202612071400||ORU^R01|1|P|2.6\r"
        "OBR|1|||VITALS|||202612071400\r"
        // A cuff reading (sub-ids 1.1.1.x) and an arterial line (1.2.1.x) at the same time: two blood pressures.
        "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1|150|mmHg|||||F\r"
        "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.1.1.2|95|mmHg|||||F\r"
        "OBX|3|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.1.1.3|113|mmHg|||||F\r"
        "OBX|4|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC|1.2.1.1|140|mmHg|||||F\r"
        "OBX|5|NM|150034^MDC_PRESS_BLD_ART_DIA^MDC|1.2.1.2|80|mmHg|||||X\r"
        "OBX|6|NM|147842^MDC_ECG_HEART_RATE^MDC|1.3.1.1|70|bpm|||||F\r"
        // A lone systolic, and a Philips cuff systolic with two diastolics: neither is paired.
        "OBX|7|NM|8480-6^^LN|9|120|mm[Hg]|||||F\r"
        "OBX|8|NM|0002-4a05^NBPs^MDIL|0|131|mmHg|||||F\r"
        "OBX|9|NM|0002-4a06^NBPd^MDIL|0|79|mmHg|||||F\r"
        "OBX|10|NM|0002-4a06^NBPd^MDIL|0|81|mmHg|||||F\r";
    auto parsed = ParseOruR01(text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const GroupedReadings grouped = GroupBloodPressures(MapObservations(parsed.value()).readings);
    ASSERT_EQ(grouped.blood_pressures.size(), 2U);
    const BloodPressureReading& cuff = grouped.blood_pressures[0];
    EXPECT_EQ(cuff.systolic_mm_hg, 150);
    EXPECT_EQ(cuff.diastolic_mm_hg, 95);
    EXPECT_EQ(cuff.mean_mm_hg, 113);
    EXPECT_TRUE(cuff.valid);
    EXPECT_EQ(cuff.obx_sequences, (std::vector<std::size_t>{1, 2, 3}));
    const BloodPressureReading& line = grouped.blood_pressures[1];
    EXPECT_EQ(line.systolic_mm_hg, 140);
    EXPECT_FALSE(line.mean_mm_hg.has_value());
    EXPECT_FALSE(line.valid);
    EXPECT_EQ(line.invalid_reason, "OBX-11 is X, which means the result cannot be obtained");
    std::vector<std::size_t> others;
    for (const MappedReading& reading : grouped.others) {
        others.push_back(reading.obx_sequence);
    }
    EXPECT_EQ(others, (std::vector<std::size_t>{6, 7, 8, 9, 10}));
}

// The table is consistent: every row maps onto a vital sign kclinic records, no code appears twice, and a Philips
// MDIL code (the MDC term code in hexadecimal) maps to the same LOINC code as the MDC row for the same number.
TEST(CodeMapTest, TableRowsAgreeWithEachOtherAndWithTheVitalSigns) {
    std::set<std::pair<std::string_view, std::string>> seen;
    for (const CodeMapping& row : CodeMappings()) {
        EXPECT_TRUE(clinical::FindVitalSign(row.loinc).has_value()) << row.code;
        EXPECT_FALSE(row.source.empty()) << row.code;
        std::string code(row.code);
        for (char& c : code) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        EXPECT_TRUE(seen.emplace(row.coding_system, code).second) << row.code << " appears twice";
        if (row.coding_system == "MDIL") {
            ASSERT_EQ(row.code.size(), 9U) << row.code;
            const long partition = std::strtol(std::string(row.code.substr(0, 4)).c_str(), nullptr, 16);
            const long term = std::strtol(std::string(row.code.substr(5)).c_str(), nullptr, 16);
            const std::string mdc = std::to_string(partition * 65536 + term);
            for (const CodeMapping& other : CodeMappings()) {
                if (other.coding_system == "MDC" && other.code == mdc) {
                    EXPECT_EQ(other.loinc, row.loinc) << row.code << " vs " << mdc;
                }
            }
        } else {
            EXPECT_TRUE(row.name.starts_with("MDC_")) << row.code;
        }
    }
}

}  // namespace
}  // namespace kclinic::adapters::hl7
