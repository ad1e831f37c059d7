// The golden files of testdata/hl7/ (issue 13 §4): each input, and what the receiver makes of it, written out in
// full. <name>.hl7 is a message or a batch as text; <name>.mllp is a byte stream as a connection delivers it, fed
// through the frame decoder. <name>.expected.json holds the parse result, the mapped readings, the unmapped
// observations and the ACK (one segment per line), given that the readings were stored: an AA here is the AA the
// listener sends once they are durable. Run with KCLINIC_UPDATE_GOLDEN=1 to rewrite the expected files after a
// deliberate change, then review the diff.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/batch.hpp"
#include "adapters/hl7/message/code_map.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "adapters/hl7/mllp/frame.hpp"

namespace kclinic::adapters::hl7 {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const clinical::TimePoint kNow = clinical::TimePoint{std::chrono::sys_days{std::chrono::year{2026} / 12 / 7}} + 14h;
constexpr std::size_t kMaxFrameBytes = 4096;  // small, so the oversized-frame file stays small

std::string Iso(clinical::TimePoint at) {
    const auto day = std::chrono::floor<std::chrono::days>(at);
    const std::chrono::year_month_day date{day};
    const std::chrono::hh_mm_ss time{at - day};
    std::ostringstream out;
    out << static_cast<int>(date.year()) << '-' << (static_cast<unsigned>(date.month()) < 10 ? "0" : "")
        << static_cast<unsigned>(date.month()) << '-' << (static_cast<unsigned>(date.day()) < 10 ? "0" : "")
        << static_cast<unsigned>(date.day()) << 'T';
    const auto two = [&](long value) { out << (value < 10 ? "0" : "") << value; };
    two(time.hours().count());
    out << ':';
    two(time.minutes().count());
    out << ':';
    two(time.seconds().count());
    const long millis = time.subseconds().count();
    out << '.' << (millis < 100 ? "0" : "") << (millis < 10 ? "0" : "") << millis << 'Z';
    return out.str();
}

json Coded(const CodedElement& code) {
    return {code.identifier, code.text, code.coding_system};
}

json AckLines(const std::string& ack) {
    json lines = json::array();
    std::size_t start = 0;
    while (start < ack.size()) {
        const std::size_t end = ack.find('\r', start);
        lines.push_back(ack.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

json ErrorJson(const Hl7Error& error) {
    return {{"ack", AckCodeText(error.ack)},
            {"condition", static_cast<int>(error.condition)},
            {"location", error.location.ToString()},
            {"message", error.message}};
}

AckOptions Ack(AckCode code) {
    AckOptions options;
    options.code = code;
    options.control_id = "KC-ACK-1";
    options.now = kNow;
    return options;
}

// One message: parsed, mapped, and acknowledged as the listener would after storing it.
json MessageOutcome(std::string_view text, std::string& ack) {
    auto parsed = ParseOruR01(text);
    if (!parsed.ok()) {
        const Hl7Error& error = parsed.error();
        ack = BuildAck(AckContextOfText(text), Ack(error.ack), {&error, 1});
        return {{"error", ErrorJson(error)}, {"ack", AckLines(ack)}};
    }
    const OruR01& oru = parsed.value();
    const MappedObservations mapped = MapObservations(oru);
    const std::vector<Hl7Error> warnings = UnmappedWarnings(mapped);
    ack = BuildAck(AckContextOf(oru.header), Ack(AckCode::kAccept), warnings);

    json header = {{"sending_application", oru.header.sending_application.ToString()},
                   {"sending_facility", oru.header.sending_facility.ToString()},
                   {"message_time", oru.header.message_time ? json(Iso(*oru.header.message_time)) : json()},
                   {"control_id", oru.header.control_id},
                   {"version", oru.header.version}};
    json patients = json::array();
    for (const PatientIdentifier& identifier : oru.patient_identifiers) {
        patients.push_back({identifier.id, identifier.assigning_authority, identifier.type_code});
    }
    json readings = json::array();
    for (const MappedReading& reading : mapped.readings) {
        json entry = {{"obx", reading.obx_sequence},
                      {"loinc", reading.loinc},
                      {"value", reading.value ? json(*reading.value) : json()},
                      {"unit", reading.ucum_unit},
                      {"observed_at", Iso(reading.observed_at)},
                      {"valid", reading.valid},
                      {"equipment_id", reading.equipment_id},
                      {"sub_id", reading.sub_id},
                      {"raw", {Coded(reading.raw_code), reading.raw_value, Coded(reading.raw_units)}}};
        if (!reading.valid) {
            entry["invalid_reason"] = reading.invalid_reason;
        }
        readings.push_back(entry);
    }
    json unmapped = json::array();
    for (const UnmappedObservation& observation : mapped.unmapped) {
        unmapped.push_back({{"obx", observation.obx_sequence},
                            {"raw", {Coded(observation.raw_code), observation.raw_value, Coded(observation.raw_units)}},
                            {"reason", observation.reason}});
    }
    // What the record side stores: blood pressures as one reading each (docs/clinical-rules.md, vital.bp_one_reading).
    json blood_pressures = json::array();
    for (const BloodPressureReading& bp : GroupBloodPressures(mapped.readings).blood_pressures) {
        blood_pressures.push_back({{"systolic", bp.systolic_mm_hg},
                                   {"diastolic", bp.diastolic_mm_hg},
                                   {"mean", bp.mean_mm_hg ? json(*bp.mean_mm_hg) : json()},
                                   {"valid", bp.valid},
                                   {"obx", bp.obx_sequences}});
    }
    return {{"header", header},
            {"patient_identifiers", patients},
            {"location", {oru.location.point_of_care, oru.location.room, oru.location.bed}},
            {"readings", readings},
            {"blood_pressures", blood_pressures},
            {"unmapped", unmapped},
            {"containment_rows", mapped.containment_rows},
            {"ack", AckLines(ack)}};
}

// A message or a batch; a batch's ACKs go back as one batch.
json TextOutcome(std::string_view text) {
    std::string ack;
    if (!IsBatch(text)) {
        return MessageOutcome(text, ack);
    }
    auto batch = SplitBatch(text);
    if (!batch.ok()) {
        const Hl7Error& error = batch.error();
        // The AR answers the batch: its first message's sender and receiver, the batch's control id.
        const std::size_t msh = text.find("MSH");
        AckContext context = AckContextOfText(msh == std::string_view::npos ? "" : text.substr(msh));
        context.control_id = BatchControlId(text);
        ack = BuildAck(context, Ack(error.ack), {&error, 1});
        return {{"batch_error", ErrorJson(error)}, {"ack", AckLines(ack)}};
    }
    json messages = json::array();
    std::vector<std::string> acks;
    for (const std::string_view message : batch.value().messages) {
        messages.push_back(MessageOutcome(message, ack));
        acks.push_back(ack);
    }
    return {{"batch_control_id", batch.value().control_id},
            {"messages", messages},
            {"batch_ack", AckLines(WrapBatch(acks, Delimiters{}, kNow, batch.value().control_id))}};
}

std::string FrameKindName(mllp::FrameEventKind kind) {
    switch (kind) {
        case mllp::FrameEventKind::kMessage:
            return "message";
        case mllp::FrameEventKind::kGarbage:
            return "garbage";
        case mllp::FrameEventKind::kTruncated:
            return "truncated";
        case mllp::FrameEventKind::kTooLarge:
            return "too_large";
        case mllp::FrameEventKind::kBadTrailer:
            return "bad_trailer";
    }
    return "?";
}

json StreamOutcome(std::string_view bytes) {
    mllp::FrameDecoder decoder(kMaxFrameBytes);
    std::vector<mllp::FrameEvent> events;
    decoder.Feed(bytes, events);
    decoder.Finish(events);
    json outcomes = json::array();
    for (const mllp::FrameEvent& event : events) {
        json entry = {{"event", FrameKindName(event.kind)}, {"bytes", event.byte_count}};
        if (event.kind == mllp::FrameEventKind::kMessage) {
            entry["outcome"] = TextOutcome(event.payload);
        } else if (const std::optional<Hl7Error> error = mllp::FrameError(event, kMaxFrameBytes)) {
            entry["error"] = ErrorJson(*error);
            entry["ack"] = AckLines(BuildAck(AckContextOfText(event.payload), Ack(error->ack), {&*error, 1}));
        }
        outcomes.push_back(entry);
    }
    return {{"frames", outcomes}};
}

std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(GoldenTest, EveryFileGivesItsExpectedResultAndAck) {
    const std::filesystem::path folder = std::filesystem::path(KCLINIC_SOURCE_DIR) / "testdata" / "hl7";
    const bool update = std::getenv("KCLINIC_UPDATE_GOLDEN") != nullptr;
    std::size_t checked = 0;
    std::vector<std::filesystem::path> inputs;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const std::string extension = entry.path().extension().string();
        if (extension == ".hl7" || extension == ".mllp") {
            inputs.push_back(entry.path());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    for (const std::filesystem::path& input : inputs) {
        const std::string bytes = ReadFile(input);
        const json actual = input.extension() == ".mllp" ? StreamOutcome(bytes) : TextOutcome(bytes);
        std::filesystem::path expected_path = input;
        expected_path.replace_extension(".expected.json");
        if (update) {
            std::ofstream(expected_path) << actual.dump(2) << '\n';
        }
        const std::string expected_text = ReadFile(expected_path);
        ASSERT_FALSE(expected_text.empty()) << expected_path << " is missing";
        EXPECT_EQ(actual.dump(2), json::parse(expected_text).dump(2)) << input.filename();
        ++checked;
    }
    // The folder holds the cases issue 13 §4 names; fewer means files went missing.
    EXPECT_GE(checked, 20U);
}

}  // namespace
}  // namespace kclinic::adapters::hl7
