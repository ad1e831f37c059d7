#include "adapters/hl7/feed/monitor_feed.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "adapters/hl7/message/ack.hpp"
#include "adapters/hl7/message/batch.hpp"
#include "adapters/json/live_events.hpp"
#include "clinical/vital_signs.hpp"

namespace kclinic::adapters::hl7 {
namespace {

// "MSH-10" -> MSH, field 10; "OBX" -> OBX: the place IngestRejected names, as an ERR-2 location.
ErrorLocation ErrorLocationOf(std::string_view place) {
    ErrorLocation location;
    const std::size_t dash = place.find('-');
    location.segment = std::string(place.substr(0, dash));
    if (dash != std::string_view::npos) {
        const std::string_view number = place.substr(dash + 1);
        std::from_chars(number.data(), number.data() + number.size(), location.field);
    }
    return location;
}

app::RawObservation RawOf(const CodedElement& code, std::string_view value, const CodedElement& units) {
    return app::RawObservation{code.identifier, code.text, code.coding_system, std::string(value), units.identifier};
}

app::DeviceObservation FromReading(const MappedReading& reading) {
    app::DeviceObservation observation;
    observation.loinc = reading.loinc;
    observation.value = reading.value.value_or(0);
    observation.unit = reading.ucum_unit;
    observation.observed_at = reading.observed_at;
    observation.valid = reading.valid && reading.value.has_value();
    observation.invalid_reason =
        reading.valid && !reading.value ? "the observation has no value" : reading.invalid_reason;
    observation.raw = RawOf(reading.raw_code, reading.raw_value, reading.raw_units);
    return observation;
}

app::DeviceObservation FromBloodPressure(const BloodPressureReading& pressure, const MappedObservations& mapped) {
    app::DeviceObservation observation;
    observation.loinc = std::string(clinical::kBloodPressurePanelLoinc);
    observation.value = pressure.systolic_mm_hg;
    observation.diastolic = pressure.diastolic_mm_hg;
    observation.mean_arterial = pressure.mean_mm_hg;
    observation.unit = "mm[Hg]";
    observation.observed_at = pressure.observed_at;
    observation.valid = pressure.valid;
    observation.invalid_reason = pressure.invalid_reason;
    // What the device sent for the systolic, the first of the readings it was made of.
    for (const MappedReading& reading : mapped.readings) {
        if (!pressure.obx_sequences.empty() && reading.obx_sequence == pressure.obx_sequences.front()) {
            observation.raw = RawOf(reading.raw_code, reading.raw_value, reading.raw_units);
            break;
        }
    }
    return observation;
}

}  // namespace

app::DeviceMessage ToDeviceMessage(const OruR01& message, const MappedObservations& mapped,
                                   clinical::TimePoint received_at) {
    app::DeviceMessage device_message;
    device_message.device.sending_application = message.header.sending_application.namespace_id;
    device_message.device.sending_facility = message.header.sending_facility.namespace_id;
    for (const Observation& observation : message.observations) {
        if (!observation.equipment_id.empty()) {
            device_message.device.equipment_id = observation.equipment_id;
            break;
        }
    }
    const PatientLocation& location = message.location;
    if (!location.empty()) {
        device_message.device.location = location.point_of_care + "^" + location.room + "^" + location.bed;
    }
    device_message.message_control_id = message.header.control_id;
    device_message.received_at = received_at;

    GroupedReadings grouped = GroupBloodPressures(mapped.readings);
    for (const BloodPressureReading& pressure : grouped.blood_pressures) {
        device_message.observations.push_back(FromBloodPressure(pressure, mapped));
    }
    for (const MappedReading& reading : grouped.others) {
        device_message.observations.push_back(FromReading(reading));
    }
    for (const UnmappedObservation& unmapped : mapped.unmapped) {
        device_message.unmapped.push_back(app::UnmappedObservation{
            RawOf(unmapped.raw_code, unmapped.raw_value, unmapped.raw_units), unmapped.observed_at, unmapped.reason});
    }
    return device_message;
}

MonitorFeed::MonitorFeed(app::DeviceFeed& feed, IngestCommitter& committer, const app::Clock& clock,
                         app::EventBus& events, MonitorFeedOptions options)
    : feed_(feed),
      committer_(committer),
      clock_(clock),
      events_(events),
      options_(std::move(options)),
      control_id_prefix_(
          "K" +
          std::to_string(
              std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count()) +
          "-") {}

AckOptions MonitorFeed::AckOptionsFor(AckCode code, clinical::TimePoint now) {
    AckOptions options;
    options.code = code;
    options.control_id = NextControlId();
    options.now = now;
    return options;
}

std::string MonitorFeed::NextControlId() {
    return control_id_prefix_ + std::to_string(next_control_number_.fetch_add(1, std::memory_order_relaxed));
}

mllp::FrameReply MonitorFeed::Reject(std::string_view text, const Hl7Error& error, clinical::TimePoint now) {
    const AckContext context = AckContextOfText(text);
    if (!context.sending_application.empty()) {
        const app::DeviceIdentity sender{context.sending_application.namespace_id,
                                         context.sending_facility.namespace_id, "", ""};
        // Counting the error is for staff; the AR goes out whether or not it could be counted.
        (void)feed_.RecordRejectedMessage(sender, error.message, now);
    }
    const Hl7Error issue{AckCode::kReject, error.condition, error.severity, error.location, error.message};
    return {BuildAck(context, AckOptionsFor(AckCode::kReject, now), {&issue, 1}), AckCode::kReject};
}

void MonitorFeed::Answer(const mllp::FrameEvent& event, const mllp::Peer& /*peer*/,
                         const mllp::FrameResponder& responder) {
    const clinical::TimePoint now = clock_.Now();
    if (event.kind == mllp::FrameEventKind::kGarbage) {
        responder.Reply({});  // no message to answer
        return;
    }
    if (std::optional<Hl7Error> frame_error = mllp::FrameError(event, options_.max_message_bytes)) {
        responder.Offload(
            [this, text = event.payload, error = std::move(*frame_error), now] { return Reject(text, error, now); });
        return;
    }
    if (IsBatch(event.payload)) {
        responder.Offload([this, text = event.payload, now] { return AnswerBatch(text, now); });
        return;
    }
    auto prepared = std::make_shared<Prepared>(Prepare(event.payload, now));
    if (prepared->unreadable) {
        responder.Offload(
            [this, text = event.payload, prepared, now] { return Reject(text, *prepared->unreadable, now); });
        return;
    }
    std::vector<app::DeviceMessage> messages;
    messages.push_back(std::move(prepared->message));
    committer_.Submit(std::move(messages),
                      [this, prepared, responder, now](std::vector<Result<app::IngestOutcome>> outcomes) {
                          // On the committer's thread, which must go on: a failure here closes this connection only.
                          try {
                              responder.Reply(Acknowledge(*prepared, outcomes.front(), now));
                          } catch (const std::exception& error) {
                              responder.Fail(std::string("acknowledging a stored message failed: ") + error.what());
                          }
                      });
}

mllp::FrameReply MonitorFeed::AnswerBatch(std::string_view text, clinical::TimePoint now) {
    // Its messages stored together, each answered on its own, the ACKs sent back as a batch. One message the record
    // could not store sends nothing back, so the sender resends the whole batch; the messages stored already are
    // taken as resends then.
    Hl7Result<Batch> batch = SplitBatch(text, ParseLimits{.max_message_bytes = options_.max_message_bytes});
    if (!batch.ok()) {
        AckContext context;
        context.control_id = BatchControlId(text);
        const Hl7Error& error = batch.error();
        return {BuildAck(context, AckOptionsFor(AckCode::kReject, now), {&error, 1}), AckCode::kReject};
    }
    std::vector<Prepared> prepared;
    std::vector<std::optional<mllp::FrameReply>> rejected;  // the AR of each unreadable message, by position
    std::vector<app::DeviceMessage> messages;
    for (std::string_view message : batch->messages) {
        prepared.push_back(Prepare(message, now));
        if (prepared.back().unreadable) {
            rejected.emplace_back(Reject(message, *prepared.back().unreadable, now));
        } else {
            rejected.emplace_back();
            messages.push_back(std::move(prepared.back().message));
        }
    }
    // Shared with the committer's callback, which may still be returning from set_value when this worker goes on.
    auto committed = std::make_shared<std::promise<std::vector<Result<app::IngestOutcome>>>>();
    std::future<std::vector<Result<app::IngestOutcome>>> outcomes_of = committed->get_future();
    committer_.Submit(std::move(messages), [committed](std::vector<Result<app::IngestOutcome>> outcomes) {
        committed->set_value(std::move(outcomes));
    });
    const std::vector<Result<app::IngestOutcome>> outcomes = outcomes_of.get();
    auto outcome = outcomes.begin();
    std::vector<std::string> acks;
    AckCode worst = AckCode::kAccept;
    for (std::size_t i = 0; i < prepared.size(); ++i) {
        mllp::FrameReply reply = rejected[i] ? std::move(*rejected[i]) : Acknowledge(prepared[i], *outcome++, now);
        if (reply.close_connection) {
            return reply;
        }
        acks.push_back(std::move(reply.message));
        worst = std::max(worst, reply.code);
    }
    return {WrapBatch(acks, Delimiters{}, now, batch->control_id), worst};
}

MonitorFeed::Prepared MonitorFeed::Prepare(std::string_view text, clinical::TimePoint now) const {
    OruOptions parse_options;
    parse_options.limits.max_message_bytes = options_.max_message_bytes;
    parse_options.local_zone = options_.local_zone;
    Hl7Result<OruR01> parsed = ParseOruR01(text, parse_options);
    Prepared prepared;
    if (!parsed.ok()) {
        prepared.unreadable = parsed.error();
        return prepared;
    }
    const OruR01& message = parsed.value();
    const MappedObservations mapped = MapObservations(message);
    prepared.context = AckContextOf(message.header);
    prepared.warnings = UnmappedWarnings(mapped);
    prepared.message = ToDeviceMessage(message, mapped, now);
    return prepared;
}

mllp::FrameReply MonitorFeed::Acknowledge(const Prepared& prepared, const Result<app::IngestOutcome>& outcome,
                                          clinical::TimePoint now) {
    if (!outcome.ok()) {
        return {"", AckCode::kError, true};  // not stored: no ACK, so the sender resends
    }
    if (const auto* rejected = std::get_if<app::IngestRejected>(&outcome.value())) {
        Hl7Error issue;
        issue.ack = AckCode::kError;
        issue.condition = rejected->field == "MSH-10" ? ErrorCondition::kRequiredFieldMissing
                                                      : ErrorCondition::kApplicationInternalError;
        issue.location = ErrorLocationOf(rejected->field);
        issue.message = rejected->field + ": " + rejected->reason;
        return {BuildAck(prepared.context, AckOptionsFor(AckCode::kError, now), {&issue, 1}), AckCode::kError};
    }
    json::PublishIngested(events_, std::get<app::IngestAccepted>(outcome.value()));
    return {BuildAck(prepared.context, AckOptionsFor(AckCode::kAccept, now), prepared.warnings), AckCode::kAccept};
}

}  // namespace kclinic::adapters::hl7
