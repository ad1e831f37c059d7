#pragma once

// The acknowledgement a receiver sends for each message (HL7 v2.5.1 §2.9.2, original acknowledgement mode):
// MSH + MSA + one ERR per problem. MSA-1 is AA when the message's readings are durably stored (and only then: the
// caller decides), AE when it was understood but not accepted, AR when it could not be read or is not a message
// this receiver takes. Pure: the time and the ACK's own control id are the caller's.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "adapters/hl7/message/hl7_error.hpp"
#include "adapters/hl7/message/oru_r01.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7 {

// What an ACK echoes from the message it answers.
struct AckContext {
    Delimiters delimiters;
    HierarchicDesignator sending_application;    // MSH-3: the ACK's MSH-5
    HierarchicDesignator sending_facility;       // MSH-4: the ACK's MSH-6
    HierarchicDesignator receiving_application;  // MSH-5: the ACK's MSH-3 (when the sender named us)
    HierarchicDesignator receiving_facility;     // MSH-6: the ACK's MSH-4
    std::string trigger_event;                   // MSH-9.2: the ACK is ACK^<trigger>^ACK
    std::string control_id;                      // MSH-10: MSA-2
    std::string processing_id;                   // MSH-11
    std::string version;                         // MSH-12
};

// The context of a message whose header was read.
[[nodiscard]] AckContext AckContextOf(const MessageHeader& header);

// The context of any text, read leniently so that even a message Parse refuses gets an AR naming its MSH-10:
// whatever an MSH line at the start declares (delimiters, sender, receiver, event, control id, processing id,
// version) is taken, and what is missing or unreadable is left empty (the default delimiters when MSH-1/MSH-2
// are unusable). When the MSH line has no segment end (a cut frame), its last field is dropped as possibly cut.
// Never fails.
[[nodiscard]] AckContext AckContextOfText(std::string_view text);

struct AckOptions {
    AckCode code = AckCode::kAccept;
    std::string control_id;   // the ACK's own MSH-10, unique per ACK; the caller's
    clinical::TimePoint now;  // the ACK's MSH-7
    // MSH-3/MSH-4 when the message did not name its receiver in MSH-5/MSH-6.
    HierarchicDesignator application{"KCLINIC", "", ""};
    HierarchicDesignator facility;
};

// The ACK's text, segments ended by \r, in the message's own delimiters:
//   MSH|^~\&|<MSH-5 or ours>|<MSH-6 or ours>|<MSH-3>|<MSH-4>|<now>||ACK^<event>^ACK|<own id>|<MSH-11 or P>|<MSH-12
//   or 2.6> MSA|<code>|<MSH-10>[|<first error's message, for senders before v2.5 that do not read ERR>] ERR|[<ELD for
//   v2.3/2.4>]|<location>|<condition>^<text>^HL70357|<severity>||||<message>   (one per issue)
// `issues` are errors (AE/AR) or warnings (an AA that stored the message but could not map a code). An AR of a
// message with no readable version answers in v2.6, the version of IHE PCD-01.
[[nodiscard]] std::string BuildAck(const AckContext& original, const AckOptions& options,
                                   std::span<const Hl7Error> issues = {});

// What an ACK says, as a sender reads it: MSA-1 and MSA-2, as sent.
struct AckAnswer {
    std::string code;        // MSA-1: "AA", "AE", "AR" (or CA, CE, CR in enhanced mode)
    std::string control_id;  // MSA-2: the MSH-10 of the message it answers
};

// The MSA of an ACK (the first one, in a batch of ACKs); nullopt when the text does not parse or has no MSA.
[[nodiscard]] std::optional<AckAnswer> ReadAck(std::string_view ack);

}  // namespace kclinic::adapters::hl7
