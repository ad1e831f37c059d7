#pragma once

// HL7 v2 batches (v2.5.1 §2.10.3): [FHS] { BHS {MSH ...} BTS } [FTS], several messages sent as one text, as files
// and some gateways do. Each message inside is parsed and acknowledged on its own; the acknowledgements go back as a
// batch of ACK messages (BHS, the ACKs, BTS). Pure.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/hl7/message/hl7_error.hpp"
#include "adapters/hl7/message/message.hpp"
#include "clinical/time_point.hpp"

namespace kclinic::adapters::hl7 {

struct Batch {
    std::string control_id;                  // BHS-11 of the first batch (its ACK batch's BHS-12 names it)
    std::vector<std::string_view> messages;  // each from its MSH up to the next MSH, BTS or FTS; in the caller's text
};

// True when `text` (after leading segment ends) starts with FHS or BHS.
[[nodiscard]] bool IsBatch(std::string_view text);

// The messages of the batch `text`. REQUIRES `text` to outlive the result. Errors (AR, 100 "Segment sequence error"
// unless said): larger than limits.max_message_bytes or more than limits.max_segments segments (207); no FHS or BHS
// first; a bad FHS/BHS field separator or encoding characters (102); a segment between BHS and BTS that belongs to
// no message; a batch with no BTS (a truncated batch); BTS-1 (message count) or FTS-1 (batch count) not the number
// the batch holds; anything after FTS.
[[nodiscard]] Hl7Result<Batch> SplitBatch(std::string_view text, const ParseLimits& limits = {});

// BHS-11 (batch control id) of the first BHS in `text`, read leniently for the AR of a batch SplitBatch refused:
// that AR names the batch, not one of its messages. Empty when there is none.
[[nodiscard]] std::string BatchControlId(std::string_view text);

// A batch holding `messages` (each a full message text ending in \r): BHS with the delimiters, the time and the
// batch control id it answers (BHS-12), the messages, and BTS with their count.
[[nodiscard]] std::string WrapBatch(std::span<const std::string> messages, const Delimiters& delimiters,
                                    clinical::TimePoint now, std::string_view answered_control_id);

}  // namespace kclinic::adapters::hl7
