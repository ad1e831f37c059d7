#include "adapters/hl7/message/hl7_error.hpp"

namespace kclinic::adapters::hl7 {

std::string_view AckCodeText(AckCode code) {
    switch (code) {
        case AckCode::kAccept:
            return "AA";
        case AckCode::kError:
            return "AE";
        case AckCode::kReject:
            return "AR";
    }
    return "AR";
}

std::string_view ErrorConditionText(ErrorCondition condition) {
    // HL7 v2.5.1 table 0357, as the standard spells each one.
    switch (condition) {
        case ErrorCondition::kSegmentSequenceError:
            return "Segment sequence error";
        case ErrorCondition::kRequiredFieldMissing:
            return "Required field missing";
        case ErrorCondition::kDataTypeError:
            return "Data type error";
        case ErrorCondition::kTableValueNotFound:
            return "Table value not found";
        case ErrorCondition::kUnsupportedMessageType:
            return "Unsupported message type";
        case ErrorCondition::kUnsupportedEventCode:
            return "Unsupported event code";
        case ErrorCondition::kUnsupportedProcessingId:
            return "Unsupported processing id";
        case ErrorCondition::kUnsupportedVersionId:
            return "Unsupported version id";
        case ErrorCondition::kApplicationInternalError:
            return "Application internal error";
    }
    return "Application internal error";
}

std::string_view SeverityText(Severity severity) {
    switch (severity) {
        case Severity::kError:
            return "E";
        case Severity::kWarning:
            return "W";
        case Severity::kInformation:
            return "I";
    }
    return "E";
}

std::string ErrorLocation::ToString() const {
    if (segment.empty()) {
        return "the message";
    }
    std::string text = segment;
    if (segment_sequence > 1) {
        text += "[" + std::to_string(segment_sequence) + "]";
    }
    if (field > 0) {
        text += "-" + std::to_string(field);
        if (component > 0) {
            text += "." + std::to_string(component);
            if (subcomponent > 0) {
                text += "." + std::to_string(subcomponent);
            }
        }
    }
    return text;
}

}  // namespace kclinic::adapters::hl7
