#pragma once

// The typed view of an unsolicited observation message, ORU^R01 (HL7 v2.5.1 §7.3.1; the IHE PCD-01 "communicate
// PCD data" transaction bedside monitors send), with just the fields kclinic reads, decoded (unescaped) and checked.
// It is also the input of EncodeOruR01, so the monitor simulator and the tests build messages from the same type the
// listener reads them into. Pure: no I/O, no clock.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/hl7_error.hpp"
#include "adapters/hl7/message/message.hpp"
#include "clinical/clinic_zone.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7 {

// HD: an application or facility (MSH-3 to MSH-6), e.g. "VSP^080019FFFE134535^EUI-64" or just "MONITOR".
struct HierarchicDesignator {
    std::string namespace_id;
    std::string universal_id;
    std::string universal_id_type;

    [[nodiscard]] bool empty() const { return namespace_id.empty() && universal_id.empty(); }
    // The components joined by '^', trailing empty ones left out: a stable text for identity and display.
    [[nodiscard]] std::string ToString() const;
    friend bool operator==(const HierarchicDesignator&, const HierarchicDesignator&) = default;
};

// CWE/CE: a coded value (OBX-3 observation identifier, OBX-6 units): identifier^text^coding system.
struct CodedElement {
    std::string identifier;
    std::string text;
    std::string coding_system;  // "LN", "MDC", "UCUM", "MDIL", a local name, or empty
    friend bool operator==(const CodedElement&, const CodedElement&) = default;
};

struct MessageHeader {
    Delimiters delimiters;
    HierarchicDesignator sending_application;         // MSH-3
    HierarchicDesignator sending_facility;            // MSH-4
    HierarchicDesignator receiving_application;       // MSH-5
    HierarchicDesignator receiving_facility;          // MSH-6
    std::optional<clinical::TimePoint> message_time;  // MSH-7
    std::string message_code;                         // MSH-9.1, "ORU"
    std::string trigger_event;                        // MSH-9.2, "R01"
    std::string message_structure;                    // MSH-9.3, "ORU_R01" (absent before v2.3.1)
    std::string control_id;                           // MSH-10, echoed in MSA-2
    std::string processing_id;                        // MSH-11.1: P production, D debugging, T training
    std::string version;                              // MSH-12.1, "2.6"
};

// PID-3 (CX), one repetition: id^check digit^check scheme^assigning authority^identifier type.
struct PatientIdentifier {
    std::string id;
    std::string assigning_authority;  // CX-4.1
    std::string type_code;            // CX-5, "MR"
    friend bool operator==(const PatientIdentifier&, const PatientIdentifier&) = default;
};

// PV1-3 (PL): where the patient is, as the monitor knows it: point of care^room^bed.
struct PatientLocation {
    std::string point_of_care;
    std::string room;
    std::string bed;  // the chair, in a clinic

    [[nodiscard]] bool empty() const { return point_of_care.empty() && room.empty() && bed.empty(); }
    friend bool operator==(const PatientLocation&, const PatientLocation&) = default;
};

// One OBX, decoded.
struct Observation {
    std::size_t segment_sequence = 0;  // 1 for the message's first OBX, for error locations
    std::size_t request = 0;           // 1-based index of the OBR it follows; 0 when no OBR came before it
    std::string set_id;                // OBX-1
    std::string value_type;            // OBX-2: NM, SN, ST, CWE, CE, ... ; empty on an IEEE 11073 containment row
    CodedElement code;                 // OBX-3
    std::string sub_id;                // OBX-4, e.g. the 11073 containment path "1.0.1.1"
    // OBX-5, first repetition, decoded; a composite value (SN, CWE, ...) as its decoded components joined by '^'.
    std::string value;
    // OBX-5 as a number: an NM, an ST that holds only a number, an SN with no comparator or "=" and no second number.
    std::optional<double> numeric_value;
    CodedElement units;  // OBX-6
    std::string status;  // OBX-11, HL7 table 0085
    // True when OBX-11 reports a usable result (F final, C corrected, R not yet verified, P preliminary,
    // U changed to final, A amended). X (cannot be obtained: a disconnected probe, an artefact), W (wrong), D
    // (deleted), N, I, O, S and an empty status make the reading invalid: kept, never used for alerts. So does an
    // empty OBX-5 under any status.
    bool valid = false;
    std::string invalid_reason;  // why not valid, for staff ("OBX-11 is X: the result cannot be obtained")
    // OBX-14, else the OBR-7 of its request, else MSH-7 (ParseOruR01 fails when none gives a time).
    clinical::TimePoint observed_at;
    std::string equipment_id;         // OBX-18.1 (EI), first repetition: the device's own id, e.g. its EUI-64
    std::string equipment_namespace;  // OBX-18.2
};

// One OBR: the observation request its OBX rows follow.
struct ObservationRequest {
    CodedElement service;                            // OBR-4
    std::optional<clinical::TimePoint> observed_at;  // OBR-7
};

struct OruR01 {
    MessageHeader header;
    std::vector<PatientIdentifier> patient_identifiers;  // PID-3, every repetition; empty when no PID
    PatientLocation location;                            // PV1-3
    std::vector<ObservationRequest> requests;
    std::vector<Observation> observations;  // in message order
};

struct OruOptions {
    ParseLimits limits;
    // The zone a time without an offset is read in: the clinic's (a monitor's clock shows local wall time).
    clinical::ClinicZone local_zone = clinical::ClinicZone::Utc();
    // Debugging (D) and training (T) messages are refused by default, so a device in a training mode never writes
    // into a patient's chart.
    bool accept_debug_and_training = false;
};

// The HL7 versions whose ORU^R01 this reader takes: 2.3 to 2.9 (the fields it reads have kept their positions).
[[nodiscard]] bool IsSupportedVersion(std::string_view version);

// The header of any parsed message, checked: MSH-10 is not empty, MSH-9 has a message code, MSH-11 is P (or D/T
// when accepted) and MSH-12 a supported version, in that order. MSH-7 is left unread (message_time empty):
// ParseOruR01 reads it once the message type is known to be one it takes.
// Errors, AR: 101 "MSH-10 is empty", "MSH-9 is empty", "MSH-11 is empty", "MSH-12 is empty"; 202 for another
// processing id; 203 for another version.
[[nodiscard]] Hl7Result<MessageHeader> ReadHeader(const Message& message, const OruOptions& options);

// Parses and checks one ORU^R01 message. Errors:
// - AR: everything Message::Parse and ReadHeader refuse; 200 when MSH-9 is not ORU, 201 when the event is not R01
//   (or MSH-9.3 not ORU_R01); then 102 when MSH-7 is present but not a valid date/time.
// - AE (understood, not accepted): more than one PID (100: one patient per message); no OBX (101); an OBX without
//   OBX-3.1 (101); OBX-2 missing on an OBX that has a value (101); OBX-5 not a number for an NM on a valid result
//   (102); OBX-14, OBR-7 not valid date/times (102); a reading with no time at all (101 on OBX-14).
[[nodiscard]] Hl7Result<OruR01> ParseOruR01(std::string_view text, const OruOptions& options = {});

// The text of `message`: MSH (with the delimiters of message.header), PID, PV1, then each request's OBR followed
// by its OBX rows (an OBX whose request is 0 goes before the first OBR). Times are written in UTC; a value and its
// units are written as given. ParseOruR01 of the result gives back `message` (the round-trip test checks it).
// REQUIRES: each observation's request <= message.requests.size().
[[nodiscard]] std::string EncodeOruR01(const OruR01& message);

}  // namespace kclinic::adapters::hl7
