#include "adapters/hl7/message/batch.hpp"

#include <algorithm>

#include "adapters/hl7/message/timestamp.hpp"

namespace kclinic::adapters::hl7 {
namespace {

Hl7Error Reject(ErrorCondition condition, ErrorLocation location, std::string message) {
    return Hl7Error{AckCode::kReject, condition, Severity::kError, std::move(location), std::move(message)};
}

std::string_view SkipSegmentEnds(std::string_view text) {
    const std::size_t start = text.find_first_not_of("\r\n");
    return start == std::string_view::npos ? std::string_view{} : text.substr(start);
}

// Field `n` (1-based, n >= 3) of an FHS/BHS line, whose fields 1 and 2 are numbered as MSH's.
std::string_view HeaderField(std::string_view line, std::size_t n, char separator) {
    std::size_t begin = 3;
    for (std::size_t i = 2; i < n; ++i) {
        begin = line.find(separator, begin + 1);
        if (begin == std::string_view::npos) {
            return {};
        }
    }
    const std::size_t end = line.find(separator, begin + 1);
    return line.substr(begin + 1, end == std::string_view::npos ? std::string_view::npos : end - begin - 1);
}

// Field 1 of a trailer segment (BTS, FTS).
std::string_view FirstField(std::string_view line, char separator) {
    const std::size_t bar = line.find(separator);
    if (bar == std::string_view::npos) {
        return {};
    }
    const std::size_t end = line.find(separator, bar + 1);
    return line.substr(bar + 1, end == std::string_view::npos ? std::string_view::npos : end - bar - 1);
}

// A count field (BTS-1, FTS-1): its digits, or -1 when absent or not a whole number.
long Count(std::string_view field) {
    if (field.empty() || field.size() > 9) {
        return -1;
    }
    long value = 0;
    for (const char c : field) {
        if (c < '0' || c > '9') {
            return -1;
        }
        value = value * 10 + (c - '0');
    }
    return value;
}

}  // namespace

bool IsBatch(std::string_view text) {
    const std::string_view start = SkipSegmentEnds(text).substr(0, 3);
    return start == "FHS" || start == "BHS";
}

Hl7Result<Batch> SplitBatch(std::string_view text, const ParseLimits& limits) {
    if (text.size() > limits.max_message_bytes) {
        return Reject(ErrorCondition::kApplicationInternalError, {},
                      "the batch is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                          std::to_string(limits.max_message_bytes));
    }
    text = SkipSegmentEnds(text);
    if (!IsBatch(text)) {
        return Reject(ErrorCondition::kSegmentSequenceError, {"BHS", 1}, "the batch does not start with FHS or BHS");
    }
    // The header declares the delimiters as MSH does; a message inside declares its own again.
    const Hl7Result<Message> header =
        Message::Parse("MSH" + std::string(text.substr(3, text.find_first_of("\r\n") - 3)));
    if (!header.ok()) {
        return Reject(header.error().condition, {std::string(text.substr(0, 3)), 1, header.error().location.field},
                      std::string(text.substr(0, 3)) + header.error().message.substr(3));
    }
    const char separator = header.value().delimiters().field;

    Batch batch;
    bool file = false;
    bool in_batch = false;
    bool file_ended = false;
    long batches = 0;
    long messages_in_batch = 0;
    std::size_t message_start = std::string_view::npos;
    std::size_t segments = 0;
    const auto end_message = [&](std::size_t at) {
        if (message_start != std::string_view::npos) {
            batch.messages.push_back(text.substr(message_start, at - message_start));
            message_start = std::string_view::npos;
        }
    };
    std::size_t position = 0;
    while (position < text.size()) {
        if (text[position] == '\r' || text[position] == '\n') {
            ++position;
            continue;
        }
        const std::size_t end = std::min(text.find_first_of("\r\n", position), text.size());
        const std::string_view line = text.substr(position, end - position);
        const std::string_view id = line.substr(0, 3);
        if (++segments > limits.max_segments) {
            return Reject(ErrorCondition::kApplicationInternalError, {},
                          "the batch has more than " + std::to_string(limits.max_segments) + " segments");
        }
        if (file_ended) {
            return Reject(ErrorCondition::kSegmentSequenceError, {std::string(id)},
                          "a " + std::string(id) + " segment follows FTS, which ends the file");
        }
        if (id == "FHS" && segments == 1) {
            file = true;
        } else if (id == "BHS" && !in_batch) {
            in_batch = true;
            messages_in_batch = 0;
            if (batches++ == 0) {
                batch.control_id = std::string(HeaderField(line, 11, separator));
            }
        } else if (id == "MSH" && in_batch) {
            end_message(position);
            message_start = position;
            ++messages_in_batch;
        } else if (id == "BTS" && in_batch) {
            end_message(position);
            in_batch = false;
            const std::string_view count_field = FirstField(line, separator);
            const long count = Count(count_field);
            if (!count_field.empty() && count != messages_in_batch) {
                return Reject(ErrorCondition::kSegmentSequenceError, {"BTS", static_cast<std::size_t>(batches), 1},
                              "BTS-1 says the batch holds " + std::string(count_field) + " messages, but it holds " +
                                  std::to_string(messages_in_batch));
            }
        } else if (id == "FTS" && file && !in_batch) {
            const std::string_view count_field = FirstField(line, separator);
            if (!count_field.empty() && Count(count_field) != batches) {
                return Reject(ErrorCondition::kSegmentSequenceError, {"FTS", 1, 1},
                              "FTS-1 says the file holds " + std::string(count_field) + " batches, but it holds " +
                                  std::to_string(batches));
            }
            file_ended = true;
        } else if (message_start == std::string_view::npos || !in_batch || id == "FHS" || id == "BHS" || id == "BTS" ||
                   id == "FTS") {
            return Reject(
                ErrorCondition::kSegmentSequenceError, {std::string(id)},
                "segment " + std::to_string(segments) + " (" + std::string(id) +
                    ") is out of place in the batch: outside any message, or a batch segment where none may be");
        }
        position = end;
    }
    if (in_batch) {
        return Reject(ErrorCondition::kSegmentSequenceError, {"BTS", static_cast<std::size_t>(batches)},
                      "the batch has no BTS segment: it is incomplete");
    }
    return batch;
}

std::string BatchControlId(std::string_view text) {
    std::size_t at = text.find("BHS");
    while (at != std::string_view::npos && at > 0 && text[at - 1] != '\r' && text[at - 1] != '\n') {
        at = text.find("BHS", at + 1);
    }
    if (at == std::string_view::npos) {
        return {};
    }
    const std::string_view line = text.substr(at, text.find_first_of("\r\n", at) - at);
    if (line.size() < 8) {
        return {};
    }
    const Delimiters d{line[3], line[4], line[5], line[6], line[7]};
    return Unescape(HeaderField(line, 11, d.field), d);
}

std::string WrapBatch(std::span<const std::string> messages, const Delimiters& delimiters, clinical::TimePoint now,
                      std::string_view answered_control_id) {
    MessageWriter header(delimiters);
    // BHS-1 and BHS-2 are written as MSH's; the rest is BHS-7 (time) and BHS-12 (the batch it answers).
    header.Segment("MSH").At(7).Field(FormatDateTime(now)).At(12).Field(answered_control_id);
    std::string text = "BHS" + std::move(header).Text().substr(3);
    for (const std::string& message : messages) {
        text += message;
    }
    MessageWriter trailer(delimiters);
    trailer.Segment("BTS").Field(std::to_string(messages.size()));
    return text + std::move(trailer).Text();
}

}  // namespace kclinic::adapters::hl7
