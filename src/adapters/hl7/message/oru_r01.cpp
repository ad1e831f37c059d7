#include "adapters/hl7/message/oru_r01.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "adapters/hl7/message/timestamp.hpp"
#include "base/text.hpp"

namespace kclinic::adapters::hl7 {
namespace {

Hl7Error Fail(AckCode ack, ErrorCondition condition, ErrorLocation location, std::string message) {
    return Hl7Error{ack, condition, Severity::kError, std::move(location), std::move(message)};
}

std::string Decoded(std::string_view raw, const Delimiters& delimiters) {
    return Unescape(raw, delimiters);
}

std::string DecodedComponent(std::string_view field, std::size_t n, const Delimiters& delimiters) {
    return Unescape(Component(field, n, delimiters), delimiters);
}

HierarchicDesignator ReadHd(std::string_view field, const Delimiters& d) {
    return {DecodedComponent(field, 1, d), DecodedComponent(field, 2, d), DecodedComponent(field, 3, d)};
}

CodedElement ReadCoded(std::string_view field, const Delimiters& d) {
    return {DecodedComponent(field, 1, d), DecodedComponent(field, 2, d), DecodedComponent(field, 3, d)};
}

// An HL7 NM (v2.5.1 §2A.47): an optional sign, digits and an optional decimal point; no exponent, no thousands
// separator. Surrounding spaces are tolerated.
std::optional<double> ParseNumber(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return std::nullopt;
    }
    text = text.substr(first, text.find_last_not_of(" \t") - first + 1);
    if (!text.empty() && text.front() == '+') {
        text.remove_prefix(1);
    }
    std::size_t digits = 0;
    bool point = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            ++digits;
        } else if (c == '.' && !point) {
            point = true;
        } else if (!(c == '-' && i == 0)) {
            return std::nullopt;
        }
    }
    if (digits == 0) {
        return std::nullopt;
    }
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// HL7 table 0085 statuses that report a usable result.
bool IsUsableStatus(std::string_view status) {
    static constexpr std::array<std::string_view, 6> kUsable = {"F", "C", "R", "P", "U", "A"};
    return std::ranges::find(kUsable, status) != kUsable.end();
}

std::string StatusMeaning(std::string_view status) {
    if (status.empty()) {
        return "OBX-11 (result status) is empty";
    }
    std::string_view meaning = "is not a status that reports a usable result";
    if (status == "X") {
        meaning = "means the result cannot be obtained";
    } else if (status == "W") {
        meaning = "marks the result as wrong";
    } else if (status == "D") {
        meaning = "deletes the result";
    } else if (status == "I") {
        meaning = "means the result is pending";
    } else if (status == "N") {
        meaning = "means the result was not asked for";
    }
    return "OBX-11 is " + std::string(status) + ", which " + std::string(meaning);
}

// SN (structured numeric): comparator^num1^separator/suffix^num2. A plain value is an SN with no comparator (or
// "=") and no second number; "<5", ">200", "120^/^80" are not one exact value.
std::optional<double> ParseStructuredNumeric(std::string_view raw, const Delimiters& d) {
    const std::string_view comparator = Component(raw, 1, d);
    if (!(comparator.empty() || comparator == "=") || !Component(raw, 3, d).empty() || !Component(raw, 4, d).empty()) {
        return std::nullopt;
    }
    return ParseNumber(Component(raw, 2, d));
}

// The value types whose value is one piece of text (v2.5.1 §2A); any other (SN, CWE, CE, ...) has components.
bool IsPrimitiveType(std::string_view value_type) {
    return value_type == "NM" || value_type == "ST" || value_type == "TX" || value_type == "FT" || value_type.empty();
}

// A composite value's components, each decoded, joined by '^' whatever the message's component separator.
std::string JoinComponents(std::string_view raw, const Delimiters& d) {
    std::string joined;
    std::size_t start = 0;
    while (true) {
        const std::size_t end = raw.find(d.component, start);
        joined += Unescape(raw.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start), d);
        if (end == std::string_view::npos) {
            return joined;
        }
        joined.push_back('^');
        start = end + 1;
    }
}

// The time in `raw` (a DTM, or a TS whose first component is one), or an AE naming `location`.
Hl7Result<std::optional<clinical::TimePoint>> ReadTime(std::string_view raw, const Delimiters& d,
                                                       const ErrorLocation& location, const OruOptions& options,
                                                       AckCode ack) {
    const std::string text = DecodedComponent(raw, 1, d);
    if (text.empty()) {
        return std::optional<clinical::TimePoint>{};
    }
    std::optional<clinical::TimePoint> at = ParseDateTime(text, options.local_zone);
    if (!at) {
        return Fail(ack, ErrorCondition::kDataTypeError, location,
                    location.ToString() + " (\"" + text +
                        "\") is not a valid date/time: YYYYMMDDHHMM[SS[.SSSS]][+/-ZZZZ], at least to the minute");
    }
    return at;
}

}  // namespace

std::string HierarchicDesignator::ToString() const {
    std::string text = namespace_id;
    if (!universal_id.empty() || !universal_id_type.empty()) {
        text += "^" + universal_id;
        if (!universal_id_type.empty()) {
            text += "^" + universal_id_type;
        }
    }
    return text;
}

bool IsSupportedVersion(std::string_view version) {
    static constexpr std::array<std::string_view, 12> kVersions = {"2.3", "2.3.1", "2.4", "2.5",   "2.5.1", "2.6",
                                                                   "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2", "2.9"};
    return std::ranges::find(kVersions, version) != kVersions.end();
}

Hl7Result<MessageHeader> ReadHeader(const Message& message, const OruOptions& options) {
    const Delimiters& d = message.delimiters();
    const Segment msh = message.segment(0);
    MessageHeader header;
    header.delimiters = d;
    header.sending_application = ReadHd(msh.Field(3), d);
    header.sending_facility = ReadHd(msh.Field(4), d);
    header.receiving_application = ReadHd(msh.Field(5), d);
    header.receiving_facility = ReadHd(msh.Field(6), d);
    header.message_code = DecodedComponent(msh.Field(9), 1, d);
    header.trigger_event = DecodedComponent(msh.Field(9), 2, d);
    header.message_structure = DecodedComponent(msh.Field(9), 3, d);
    header.control_id = Decoded(msh.Field(10), d);
    header.processing_id = DecodedComponent(msh.Field(11), 1, d);
    header.version = DecodedComponent(msh.Field(12), 1, d);

    // MSH-10 first: without it the ACK cannot name the message it answers.
    if (IsBlank(header.control_id)) {
        return Fail(AckCode::kReject, ErrorCondition::kRequiredFieldMissing, {"MSH", 1, 10},
                    "MSH-10 (message control id) is empty");
    }
    if (header.message_code.empty()) {
        return Fail(AckCode::kReject, ErrorCondition::kRequiredFieldMissing, {"MSH", 1, 9},
                    "MSH-9 (message type) is empty");
    }
    if (header.processing_id.empty()) {
        return Fail(AckCode::kReject, ErrorCondition::kRequiredFieldMissing, {"MSH", 1, 11},
                    "MSH-11 (processing id) is empty");
    }
    if (header.processing_id != "P" &&
        !(options.accept_debug_and_training && (header.processing_id == "D" || header.processing_id == "T"))) {
        return Fail(AckCode::kReject, ErrorCondition::kUnsupportedProcessingId, {"MSH", 1, 11},
                    "MSH-11 (processing id) is \"" + header.processing_id +
                        "\": this receiver stores production (P) messages only");
    }
    if (header.version.empty()) {
        return Fail(AckCode::kReject, ErrorCondition::kRequiredFieldMissing, {"MSH", 1, 12},
                    "MSH-12 (version id) is empty");
    }
    if (!IsSupportedVersion(header.version)) {
        return Fail(AckCode::kReject, ErrorCondition::kUnsupportedVersionId, {"MSH", 1, 12},
                    "MSH-12 (version id) is \"" + header.version + "\": this receiver takes HL7 v2.3 to v2.9");
    }
    return header;
}

Hl7Result<OruR01> ParseOruR01(std::string_view text, const OruOptions& options) {
    auto parsed = Message::Parse(text, options.limits);
    if (!parsed.ok()) {
        return parsed.error();
    }
    const Message& message = parsed.value();
    auto header = ReadHeader(message, options);
    if (!header.ok()) {
        return header.error();
    }
    OruR01 oru;
    oru.header = std::move(header).value();
    const Delimiters& d = message.delimiters();
    if (oru.header.message_code != "ORU") {
        return Fail(AckCode::kReject, ErrorCondition::kUnsupportedMessageType, {"MSH", 1, 9, 0, 1},
                    "MSH-9 is " + oru.header.message_code + "^" + oru.header.trigger_event +
                        ": this receiver takes ORU^R01 (unsolicited observation results) only");
    }
    if (oru.header.trigger_event != "R01" ||
        !(oru.header.message_structure.empty() || oru.header.message_structure == "ORU_R01")) {
        return Fail(AckCode::kReject, ErrorCondition::kUnsupportedEventCode, {"MSH", 1, 9, 0, 2},
                    "MSH-9 is ORU^" + oru.header.trigger_event +
                        (oru.header.message_structure.empty() ? "" : "^" + oru.header.message_structure) +
                        ": this receiver takes ORU^R01 only");
    }

    // MSH-7 after the type, so that a message of another type is told so first.
    auto message_time = ReadTime(message.segment(0).Field(7), d, {"MSH", 1, 7}, options, AckCode::kReject);
    if (!message_time.ok()) {
        return message_time.error();
    }
    oru.header.message_time = message_time.value();

    std::size_t obx_count = 0;
    for (std::size_t index = 1; index < message.segment_count(); ++index) {
        obx_count += message.segment(index).id() == "OBX" ? 1 : 0;
    }
    oru.observations.reserve(obx_count);

    std::size_t pid_count = 0;
    for (std::size_t index = 1; index < message.segment_count(); ++index) {
        const Segment segment = message.segment(index);
        const std::string_view id = segment.id();
        if (id == "PID") {
            if (++pid_count > 1) {
                return Fail(AckCode::kError, ErrorCondition::kSegmentSequenceError, {"PID", pid_count},
                            "the message holds more than one PID: this receiver takes one patient per message");
            }
            const std::string_view identifiers = segment.Field(3);
            const std::size_t count = RepetitionCount(identifiers, d);
            for (std::size_t r = 1; r <= count; ++r) {
                const std::string_view cx = Repetition(identifiers, r, d);
                PatientIdentifier identifier{DecodedComponent(cx, 1, d),
                                             Unescape(Subcomponent(Component(cx, 4, d), 1, d), d),
                                             DecodedComponent(cx, 5, d)};
                if (!identifier.id.empty()) {
                    oru.patient_identifiers.push_back(std::move(identifier));
                }
            }
        } else if (id == "PV1") {
            const std::string_view pl = segment.Field(3);
            oru.location = {DecodedComponent(pl, 1, d), DecodedComponent(pl, 2, d), DecodedComponent(pl, 3, d)};
        } else if (id == "OBR") {
            const std::size_t sequence = oru.requests.size() + 1;
            ObservationRequest request;
            request.service = ReadCoded(segment.Field(4), d);
            auto time = ReadTime(segment.Field(7), d, {"OBR", sequence, 7}, options, AckCode::kError);
            if (!time.ok()) {
                return time.error();
            }
            request.observed_at = time.value();
            oru.requests.push_back(std::move(request));
        } else if (id == "OBX") {
            const std::size_t sequence = oru.observations.size() + 1;
            Observation obx;
            obx.segment_sequence = sequence;
            obx.request = oru.requests.size();
            obx.set_id = Decoded(segment.Field(1), d);
            obx.value_type = DecodedComponent(segment.Field(2), 1, d);
            obx.code = ReadCoded(segment.Field(3), d);
            obx.sub_id = Decoded(segment.Field(4), d);
            const std::string_view raw_value = Repetition(segment.Field(5), 1, d);
            obx.value = IsPrimitiveType(obx.value_type) ? Unescape(raw_value, d) : JoinComponents(raw_value, d);
            obx.units = ReadCoded(segment.Field(6), d);
            obx.status = Decoded(segment.Field(11), d);
            obx.equipment_id = DecodedComponent(segment.Field(18), 1, d);
            obx.equipment_namespace = DecodedComponent(segment.Field(18), 2, d);
            const auto at = [&](std::size_t field) { return ErrorLocation{"OBX", sequence, field}; };
            if (obx.code.identifier.empty() && obx.code.text.empty()) {
                return Fail(AckCode::kError, ErrorCondition::kRequiredFieldMissing, at(3),
                            at(3).ToString() + " (observation identifier) is empty");
            }
            if (obx.value_type.empty() && !raw_value.empty()) {
                return Fail(AckCode::kError, ErrorCondition::kRequiredFieldMissing, at(2),
                            at(2).ToString() + " (value type) is empty but OBX-5 holds a value");
            }
            obx.valid = IsUsableStatus(obx.status);
            if (!obx.valid) {
                obx.invalid_reason = StatusMeaning(obx.status);
            } else if (raw_value.empty() && !obx.value_type.empty()) {
                // A result with no value, whatever its status says, is no measurement; kept as invalid rather than
                // refusing the message's other readings.
                obx.valid = false;
                obx.invalid_reason = at(5).ToString() + " (value) is empty";
            }
            if (obx.value_type == "NM" || obx.value_type == "ST") {
                obx.numeric_value = ParseNumber(obx.value);
            } else if (obx.value_type == "SN") {
                obx.numeric_value = ParseStructuredNumeric(raw_value, d);
            }
            // A final NM that is not a number is a sender's error worth an AE; an invalid one (a probe off) may
            // carry anything, and is kept as it is.
            if (obx.value_type == "NM" && obx.valid && !obx.numeric_value) {
                return Fail(AckCode::kError, ErrorCondition::kDataTypeError, at(5),
                            at(5).ToString() + " (\"" + obx.value.substr(0, 32) +
                                "\") is not a number, as value type NM requires");
            }
            auto time = ReadTime(segment.Field(14), d, at(14), options, AckCode::kError);
            if (!time.ok()) {
                return time.error();
            }
            std::optional<clinical::TimePoint> observed_at = time.value();
            if (!observed_at && obx.request > 0) {
                observed_at = oru.requests[obx.request - 1].observed_at;
            }
            if (!observed_at) {
                observed_at = oru.header.message_time;
            }
            if (!observed_at) {
                return Fail(
                    AckCode::kError, ErrorCondition::kRequiredFieldMissing, at(14),
                    at(14).ToString() + " (observation time) is empty and neither OBR-7 nor MSH-7 gives a time");
            }
            obx.observed_at = *observed_at;
            oru.observations.push_back(std::move(obx));
        }
    }
    if (oru.observations.empty()) {
        return Fail(AckCode::kError, ErrorCondition::kRequiredFieldMissing, {"OBX", 1},
                    "the message holds no OBX segment, so no observation to store");
    }
    return oru;
}

std::string EncodeOruR01(const OruR01& message) {
    const MessageHeader& h = message.header;
    MessageWriter writer(h.delimiters);
    const auto hd = [&](const HierarchicDesignator& value) {
        writer.Components({value.namespace_id, value.universal_id, value.universal_id_type});
    };
    writer.Segment("MSH");
    hd(h.sending_application);
    hd(h.sending_facility);
    hd(h.receiving_application);
    hd(h.receiving_facility);
    writer.Field(h.message_time ? FormatDateTime(*h.message_time) : "");
    writer.At(9).Components({h.message_code, h.trigger_event, h.message_structure});
    writer.Field(h.control_id).Field(h.processing_id).Field(h.version);
    if (!message.patient_identifiers.empty()) {
        writer.Segment("PID").At(3);
        std::string repetitions;
        for (const PatientIdentifier& identifier : message.patient_identifiers) {
            if (!repetitions.empty()) {
                repetitions.push_back(h.delimiters.repetition);
            }
            const char c = h.delimiters.component;
            repetitions += Escape(identifier.id, h.delimiters) + c + c + c +
                           Escape(identifier.assigning_authority, h.delimiters) + c +
                           Escape(identifier.type_code, h.delimiters);
        }
        writer.RawField(repetitions);
    }
    if (!message.location.empty()) {
        writer.Segment("PV1").At(3).Components(
            {message.location.point_of_care, message.location.room, message.location.bed});
    }
    const auto write_observations = [&](std::size_t request) {
        for (const Observation& obx : message.observations) {
            if (obx.request != request) {
                continue;
            }
            writer.Segment("OBX").Field(obx.set_id).Field(obx.value_type);
            writer.Components({obx.code.identifier, obx.code.text, obx.code.coding_system});
            writer.Field(obx.sub_id);
            // A composite value's '^' separate its components; they are the field's structure, not text to escape.
            if (!IsPrimitiveType(obx.value_type)) {
                std::string raw;
                std::string_view rest = obx.value;
                while (true) {
                    const std::size_t caret = rest.find('^');
                    raw += Escape(rest.substr(0, caret), h.delimiters);
                    if (caret == std::string_view::npos) {
                        break;
                    }
                    raw.push_back(h.delimiters.component);
                    rest.remove_prefix(caret + 1);
                }
                writer.RawField(raw);
            } else {
                writer.Field(obx.value);
            }
            writer.Components({obx.units.identifier, obx.units.text, obx.units.coding_system});
            writer.At(11).Field(obx.status);
            writer.At(14).Field(FormatDateTime(obx.observed_at));
            writer.At(18).Components({obx.equipment_id, obx.equipment_namespace});
        }
    };
    write_observations(0);
    for (std::size_t index = 0; index < message.requests.size(); ++index) {
        const ObservationRequest& request = message.requests[index];
        writer.Segment("OBR").Field(std::to_string(index + 1)).At(4);
        writer.Components({request.service.identifier, request.service.text, request.service.coding_system});
        writer.At(7).Field(request.observed_at ? FormatDateTime(*request.observed_at) : "");
        write_observations(index + 1);
    }
    return std::move(writer).Text();
}

}  // namespace kclinic::adapters::hl7
