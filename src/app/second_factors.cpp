#include "app/second_factors.hpp"

#include <utility>

#include "app/access_rules.hpp"
#include "app/audit.hpp"
#include "app/clinic_settings.hpp"
#include "app/second_factor.hpp"
#include "app/user_records.hpp"

namespace kclinic::app {
namespace {

// The issuer an authenticator app lists the account under.
constexpr std::string_view kIssuer = "kclinic";

Status CheckOwnUser(const Principal& principal) {
    if (principal.method != AuthMethod::kSession) {
        return Error{ErrorCode::kFailedPrecondition, "user",
                     "a second factor is enrolled from a browser session, by its own user"};
    }
    return Status::Ok();
}

}  // namespace

Result<SecondFactorState> SecondFactors::State(const Principal& principal, std::string_view origin) {
    RETURN_IF_ERROR(CheckOwnUser(principal));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Result<SecondFactorState> {
        ASSIGN_OR_RETURN(const clinical::ClinicSettings settings, LoadClinicSettings(tx));
        ASSIGN_OR_RETURN(const std::optional<SecondFactor> factor, tx.FindSecondFactor(principal.user));
        SecondFactorState state;
        state.required = SecondFactorRequired(settings.access, principal.role);
        if (factor && factor->confirmed_at) {
            state.enrolled = true;
            state.enrolled_at = factor->confirmed_at;
            state.recovery_codes_left = factor->recovery_codes_left;
        }
        RETURN_IF_ERROR(RecordAudit(tx, ActorOf(principal, std::string(origin)), now, "second_factor.read", "user",
                                    principal.user.value, 0));
        return state;
    });
}

Result<TotpEnrolment> SecondFactors::BeginEnrolment(const Principal& principal, std::string_view origin) {
    RETURN_IF_ERROR(CheckOwnUser(principal));
    if (principal.role == Role::kPatient) {
        return Error{ErrorCode::kFailedPrecondition, "user", "the patient portal has no second factor yet"};
    }
    const TimePoint now = clock_.Now();
    SecondFactor factor;
    factor.user = principal.user;
    factor.totp_secret = Base32Encode(credentials_.RandomBytes(kTotpSecretBytes));
    factor.created_at = now;
    RETURN_IF_ERROR(store_.Write([&](StoreTransaction& tx) -> Status {
        RETURN_IF_ERROR(tx.BeginSecondFactor(factor));
        return RecordAudit(tx, ActorOf(principal, std::string(origin)), now, "second_factor.enrol_begin", "user",
                           principal.user.value, 0);
    }));
    return TotpEnrolment{factor.totp_secret, OtpauthUri(kIssuer, principal.email, factor.totp_secret)};
}

Result<std::vector<std::string>> SecondFactors::ConfirmEnrolment(const Principal& principal, std::string_view origin,
                                                                 std::string_view code) {
    RETURN_IF_ERROR(CheckOwnUser(principal));
    const TimePoint now = clock_.Now();
    const Actor actor = ActorOf(principal, std::string(origin));
    std::vector<std::string> codes;
    std::vector<std::string> digests;
    for (int i = 0; i < kRecoveryCodeCount; ++i) {
        codes.push_back(FormatRecoveryCode(credentials_.RandomBytes(kRecoveryCodeBytes)));
        digests.push_back(credentials_.TokenDigest(*NormalizeRecoveryCode(codes.back())));
    }
    // A wrong code is audited, so the write succeeds and says whether the code matched.
    ASSIGN_OR_RETURN(const bool confirmed, store_.Write([&](StoreTransaction& tx) -> Result<bool> {
        ASSIGN_OR_RETURN(const std::optional<SecondFactor> factor, tx.FindSecondFactor(principal.user));
        if (!factor || factor->confirmed_at) {
            return Error{ErrorCode::kNotFound, "second_factor",
                         "no second factor awaits confirmation: begin the enrolment again"};
        }
        const std::optional<std::int64_t> step = MatchingTotpStep(credentials_, factor->totp_secret, code, now);
        if (!step) {
            RETURN_IF_ERROR(RecordAudit(tx, actor, now, "second_factor.enrol_failed", "user", principal.user.value, 0));
            return false;
        }
        RETURN_IF_ERROR(tx.ConfirmSecondFactor(principal.user, now, *step, digests));
        // The sessions started without this factor end: the next login uses it (as a new password ends them).
        RETURN_IF_ERROR(tx.EndUserBrowserSessions(principal.user, now));
        RETURN_IF_ERROR(RecordAudit(tx, actor, now, "second_factor.enrol", "user", principal.user.value, 0));
        return true;
    }));
    if (!confirmed) {
        return InvalidArgument("code", "is not the code the authenticator app shows now for this key");
    }
    return codes;
}

Status SecondFactors::Reset(const Actor& actor, std::string_view email_text) {
    ASSIGN_OR_RETURN(const std::string email, NormalizeEmail(email_text));
    const TimePoint now = clock_.Now();
    return store_.Write([&](StoreTransaction& tx) -> Status {
        ASSIGN_OR_RETURN(const User user, UserByEmail(tx, email));
        ASSIGN_OR_RETURN(const std::optional<SecondFactor> factor, tx.FindSecondFactor(user.id));
        if (!factor) {
            return Error{ErrorCode::kFailedPrecondition, "email", email + " has no second factor"};
        }
        RETURN_IF_ERROR(tx.DeleteSecondFactor(user.id));
        RETURN_IF_ERROR(tx.EndUserBrowserSessions(user.id, now));
        return RecordAudit(tx, actor, now, "second_factor.reset", "user", user.id.value, 0);
    });
}

}  // namespace kclinic::app
