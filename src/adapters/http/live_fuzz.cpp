// libFuzzer target for the live channel's messages (issue 15 §3): what the server does with a client's WebSocket
// text frame once Beast has unmasked it (live_session.cpp hands it to the subscriber): ParseLiveMessage, then the
// answer it writes back, subscribed or error, which must always be one JSON object the client can read. The upgrade's
// Origin rule (CheckLiveOrigin) gets the input's first two lines as Origin and Host. Under ASan/UBSan any memory
// error or undefined behaviour is a finding, and so is an exception escaping or an answer that is not JSON.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/live_channel.hpp"
#include "adapters/json/clinical_json.hpp"

using namespace kclinic;
using namespace kclinic::adapters::http;

namespace {

void ExpectJsonObject(const std::string& answer) {
    const Result<adapters::json::Json> parsed = adapters::json::Parse(answer);
    if (!parsed.ok() || !parsed->is_object()) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const Result<std::optional<LiveTopic>> topic = ParseLiveMessage(input);
    if (topic.ok()) {
        std::optional<LiveTopic> answered = *topic;
        if (answered && answered->session) {
            answered->patient = app::PatientId{7};  // what the subscriber fills in from the session
        }
        ExpectJsonObject(LiveSubscribedMessage(answered));
    } else {
        ExpectJsonObject(LiveErrorMessage(topic.error()));
    }

    const std::size_t first = input.find('\n');
    const std::size_t second = first == std::string_view::npos ? first : input.find('\n', first + 1);
    HttpRequest upgrade;
    upgrade.headers.Add("Origin", std::string(input.substr(0, first)));
    if (first != std::string_view::npos) {
        upgrade.headers.Add("Host", std::string(input.substr(first + 1, second - first - 1)));
    }
    app::Principal principal;
    principal.method = size % 2 == 0 ? app::AuthMethod::kSession : app::AuthMethod::kApiToken;
    (void)CheckLiveOrigin(upgrade, principal);
    return 0;
}
