// libFuzzer target for the query-parameter parsers (issue 15 §3): a request target "/api/v1/x?<input>" through
// ParseTarget (percent-decoding, '+' as space), the declared-parameter check every route makes first, and then each
// parser the routes apply to a value: the paging cursor and limit (ReadPage), record ids, booleans, dates, RFC 3339
// times, counts, the record kinds of the list filters, and the patient searches (name, quick search). Under
// ASan/UBSan any memory error or undefined behaviour is a finding, and so is an exception escaping (a 500).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/api/routes.hpp"
#include "adapters/http/http_message.hpp"
#include "app/patient_search.hpp"
#include "app/record_names.hpp"
#include "clinical/scheduling.hpp"

using namespace kclinic;
using namespace kclinic::adapters;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string target = "/api/v1/x?" + std::string(reinterpret_cast<const char*>(data), size);
    const Result<http::RequestTarget> parsed = http::ParseTarget(target);
    if (!parsed.ok()) {
        return 0;
    }
    http::HttpRequest request;
    request.target = target;
    request.path = parsed->path;
    request.query = parsed->query;
    (void)http::CheckQueryParameters(
        request, {"limit", "after", "id", "on", "date", "from", "count", "kind", "name", "q", "type"});
    (void)api::ReadPage(request);
    (void)api::QueryId(request, "id");
    (void)api::QueryBoolean(request, "on");
    (void)api::QueryDate(request, "date");
    (void)api::QueryTime(request, "from");
    (void)api::QueryCount(request, "count", 50);
    if (const std::optional<std::string_view> kind = request.QueryParameter("kind")) {
        (void)app::ParseHistoryKind(*kind);
        (void)app::ParseNoteKind(*kind);
    }
    if (const std::optional<std::string_view> type = request.QueryParameter("type")) {
        (void)clinical::kAppointmentTypeNames.Parse(*type);
    }
    if (const std::optional<std::string_view> name = request.QueryParameter("name")) {
        (void)app::ParsePatientNameSearch(*name);
    }
    if (const std::optional<std::string_view> q = request.QueryParameter("q")) {
        (void)app::ParseQuickSearch(*q);
    }
    return 0;
}
