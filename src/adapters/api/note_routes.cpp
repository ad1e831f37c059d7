// Clinical notes: drafts edited and signed by their author, then addenda (app/note_records.hpp). Notes are written
// through two families of paths, therapy-notes (preparation, integration: note.write_therapy) and clinical-notes
// (dosing, progress: note.write_clinical), so that each route needs one permission; a note of the other family does
// not exist on a path (404).

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "adapters/api/routes.hpp"
#include "adapters/json/record_json.hpp"
#include "app/record_names.hpp"

namespace kclinic::adapters::api {
namespace {

using app::Permission;

// One family of note kinds, written through its own paths with its own permission.
struct NoteFamily {
    std::string_view path;  // "therapy-notes"
    Permission permission;
    std::array<app::NoteKind, 2> kinds;
};

constexpr std::array<NoteFamily, 2> kNoteFamilies{{
    {"therapy-notes", Permission::kNoteWriteTherapy, {app::NoteKind::kPreparation, app::NoteKind::kIntegration}},
    {"clinical-notes", Permission::kNoteWriteClinical, {app::NoteKind::kDosing, app::NoteKind::kProgress}},
}};

HttpResponse NoteResponse(int status, const app::Note& note) {
    return VersionedResponse(status, json::ToJson(note), note.version,
                             "/api/v1/notes/" + std::to_string(note.id.value));
}

// The body of an edit or an addendum: {"body": "..."}.
Result<std::string> ReadNoteBody(const HttpRequest& request) {
    ObjectReader body(request.body);
    std::string text = body.String("body");
    RETURN_IF_ERROR(body.Finish());
    return text;
}

void AddNoteFamily(ApiRouter& api, ApiServices& services, const NoteFamily& family) {
    const std::string collection = "/api/v1/patients/{id}/" + std::string(family.path);
    const std::string one_note = "/api/v1/" + std::string(family.path) + "/{id}";
    const std::span<const app::NoteKind> kinds(family.kinds);

    api.Add(Method::kPost, collection, family.permission, Subject::kPathPatient,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ObjectReader body(call.request.body);
                const std::string kind_name = body.String("kind");
                app::NewNote note;
                if (const std::optional<std::int64_t> course = body.OptionalInteger("course_id")) {
                    note.course = app::CourseId{*course};
                }
                if (const std::optional<std::int64_t> session = body.OptionalInteger("session_id")) {
                    note.session = app::SessionId{*session};
                }
                note.body = body.String("body");
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::NoteKind kind, app::ParseNoteKind(kind_name));
                if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                    return InvalidArgument("kind", "must be " + std::string(app::NoteKindName(kinds[0])) + " or " +
                                                       std::string(app::NoteKindName(kinds[1])) + " on this path");
                }
                note.kind = kind;
                ASSIGN_OR_RETURN(app::Note written,
                                 services.use_cases.notes.Write(call.actor, app::PatientId{call.id}, note));
                return NoteResponse(201, written);
            });

    api.Add(Method::kPut, one_note, family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                ASSIGN_OR_RETURN(std::string text, ReadNoteBody(call.request));
                ASSIGN_OR_RETURN(app::Note edited,
                                 services.use_cases.notes.Edit(call.actor, app::NoteId{call.id}, version, text, kinds));
                return NoteResponse(200, edited);
            });

    api.Add(Method::kPost, one_note + "/sign", family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::int64_t version, RequiredIfMatch(call.request));
                ObjectReader body(call.request.body);
                RETURN_IF_ERROR(body.Finish());
                ASSIGN_OR_RETURN(app::Note signed_note,
                                 services.use_cases.notes.Sign(call.actor, app::NoteId{call.id}, version, kinds));
                return NoteResponse(200, signed_note);
            });

    api.Add(Method::kPost, one_note + "/addenda", family.permission, Subject::kNone,
            [&services, kinds](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(std::string text, ReadNoteBody(call.request));
                ASSIGN_OR_RETURN(app::NoteAddendum added,
                                 services.use_cases.notes.AddAddendum(call.actor, app::NoteId{call.id}, text, kinds));
                return Created("/api/v1/notes/" + std::to_string(call.id), json::ToJson(added));
            });
}

}  // namespace

void AddNoteRoutes(ApiRouter& api, ApiServices& services) {
    api.Add(Method::kGet, "/api/v1/patients/{id}/notes", Permission::kNoteRead, Subject::kPathPatient, Paged({"kind"}),
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(PageRequest page, ReadPage(call.request));
                std::optional<app::NoteKind> kind;
                if (const auto name = call.request.QueryParameter("kind")) {
                    ASSIGN_OR_RETURN(app::NoteKind parsed, app::ParseNoteKind(*name));
                    kind = parsed;
                }
                ASSIGN_OR_RETURN(std::vector<app::Note> notes,
                                 services.use_cases.notes.ListForPatient(call.actor, app::PatientId{call.id}, kind));
                return PageOf(
                    ById(std::move(notes), [](const app::Note& n) { return n.id.value; }), page,
                    [](const app::Note& n) { return n.id.value; }, [](const app::Note& n) { return json::ToJson(n); });
            });

    api.Add(Method::kGet, "/api/v1/notes/{id}", Permission::kNoteRead, Subject::kNone,
            [&services](ApiCall& call) -> Result<HttpResponse> {
                ASSIGN_OR_RETURN(app::Note note, services.use_cases.notes.Get(call.actor, app::NoteId{call.id}));
                return NoteResponse(200, note);
            });

    for (const NoteFamily& family : kNoteFamilies) {
        AddNoteFamily(api, services, family);
    }
}

}  // namespace kclinic::adapters::api
