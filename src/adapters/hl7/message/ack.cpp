#include "adapters/hl7/message/ack.hpp"

#include <algorithm>

#include "adapters/hl7/message/timestamp.hpp"

namespace kclinic::adapters::hl7 {
namespace {

HierarchicDesignator LenientHd(std::string_view field, const Delimiters& d) {
    return {Unescape(Component(field, 1, d), d), Unescape(Component(field, 2, d), d),
            Unescape(Component(field, 3, d), d)};
}

std::string Number(std::size_t value) {
    return value == 0 ? std::string() : std::to_string(value);
}

}  // namespace

AckContext AckContextOf(const MessageHeader& header) {
    return AckContext{header.delimiters,
                      header.sending_application,
                      header.sending_facility,
                      header.receiving_application,
                      header.receiving_facility,
                      header.trigger_event,
                      header.control_id,
                      header.processing_id,
                      header.version};
}

AckContext AckContextOfText(std::string_view text) {
    AckContext context;
    const std::size_t start = text.find_first_not_of("\r\n");
    if (start == std::string_view::npos || text.substr(start, 3) != "MSH" || text.size() < start + 8) {
        return context;
    }
    const std::size_t line_end = text.find_first_of("\r\n", start);
    // Without its segment end the MSH line may have been cut (a truncated frame): its last field is then not
    // trusted, so that a cut MSH-10 ("12345" cut to "1234") never names another message.
    const bool complete = line_end != std::string_view::npos;
    const std::string_view line = text.substr(start, line_end - start);
    if (line.size() < 8) {
        return context;
    }
    const std::string_view msh2 = line.substr(4, 4);
    const auto usable = [&](char c) {
        return c != '\r' && c != '\n' && c != ' ' && static_cast<unsigned char>(c) >= 0x20 &&
               !((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    };
    bool ok = usable(line[3]);
    for (std::size_t i = 0; ok && i < 4; ++i) {
        ok = usable(msh2[i]) && msh2[i] != line[3] && msh2.find(msh2[i]) == i;
    }
    if (!ok) {
        return context;
    }
    const Delimiters d{line[3], msh2[0], msh2[1], msh2[2], msh2[3]};
    context.delimiters = d;
    // Field n of MSH is piece n-1 after "MSH", since MSH-1 is the separator itself.
    const auto field = [&](std::size_t n) -> std::string_view {
        std::size_t begin = 3;
        for (std::size_t i = 2; i < n; ++i) {
            begin = line.find(d.field, begin + 1);
            if (begin == std::string_view::npos) {
                return {};
            }
        }
        const std::size_t end = line.find(d.field, begin + 1);
        if (end == std::string_view::npos && !complete) {
            return {};
        }
        return line.substr(begin + 1, end == std::string_view::npos ? std::string_view::npos : end - begin - 1);
    };
    context.sending_application = LenientHd(field(3), d);
    context.sending_facility = LenientHd(field(4), d);
    context.receiving_application = LenientHd(field(5), d);
    context.receiving_facility = LenientHd(field(6), d);
    context.trigger_event = Unescape(Component(field(9), 2, d), d);
    context.control_id = Unescape(field(10), d);
    context.processing_id = Unescape(Component(field(11), 1, d), d);
    context.version = Unescape(Component(field(12), 1, d), d);
    return context;
}

std::string BuildAck(const AckContext& original, const AckOptions& options, std::span<const Hl7Error> issues) {
    const Delimiters& d = original.delimiters;
    const std::string version = IsSupportedVersion(original.version) ? original.version : "2.6";
    MessageWriter writer(d);
    const auto hd = [&](const HierarchicDesignator& value) {
        writer.Components({value.namespace_id, value.universal_id, value.universal_id_type});
    };
    writer.Segment("MSH");
    hd(original.receiving_application.empty() ? options.application : original.receiving_application);
    hd(original.receiving_application.empty() ? options.facility : original.receiving_facility);
    hd(original.sending_application);
    hd(original.sending_facility);
    writer.Field(FormatDateTime(options.now));
    writer.At(9).Components({"ACK", original.trigger_event, "ACK"});
    writer.Field(options.control_id);
    writer.Field(original.processing_id.empty() ? "P" : original.processing_id);
    writer.Field(version);

    writer.Segment("MSA").Field(AckCodeText(options.code)).Field(original.control_id);
    if (options.code != AckCode::kAccept && !issues.empty()) {
        writer.Field(issues.front().message);
    }
    // ERR-1 (ELD) is how v2.3 and v2.4 locate an error; v2.5 replaced it with ERR-2 to ERR-8 and keeps ERR-1
    // for backward compatibility only (v2.5.1 §2.15.5).
    const bool old_version = version.starts_with("2.3") || version.starts_with("2.4");
    for (const Hl7Error& issue : issues) {
        const ErrorLocation& at = issue.location;
        const std::string code = std::to_string(static_cast<int>(issue.condition));
        writer.Segment("ERR");
        if (old_version) {
            const std::string condition = Escape(code, d) + d.subcomponent +
                                          Escape(ErrorConditionText(issue.condition), d) + d.subcomponent + "HL70357";
            writer.RawField(Escape(at.segment, d) + d.component + Number(at.segment_sequence) + d.component +
                            Number(at.field) + d.component + condition);
        } else {
            writer.Field("");
        }
        writer.Components({at.segment, at.segment.empty() ? "" : Number(std::max<std::size_t>(at.segment_sequence, 1)),
                           Number(at.field), Number(at.repetition), Number(at.component), Number(at.subcomponent)});
        writer.Components({code, ErrorConditionText(issue.condition), "HL70357"});
        writer.Field(SeverityText(issue.severity));
        writer.At(8).Field(issue.message);
    }
    return std::move(writer).Text();
}

std::optional<AckAnswer> ReadAck(std::string_view ack) {
    const Hl7Result<Message> parsed = Message::Parse(ack);
    if (!parsed.ok()) {
        return std::nullopt;
    }
    for (std::size_t i = 0; i < parsed->segment_count(); ++i) {
        const Segment segment = parsed->segment(i);
        if (segment.id() == "MSA") {
            return AckAnswer{std::string(segment.Field(1)), std::string(segment.Field(2))};
        }
    }
    return std::nullopt;
}

}  // namespace kclinic::adapters::hl7
