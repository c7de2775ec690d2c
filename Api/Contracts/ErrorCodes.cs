namespace HamachiCloud.Api.Contracts;

/// <summary>
/// The stable <c>code</c> member of every problem-details error the API returns. Codes are never
/// renamed or reused; clients match on them, not on the human-readable detail.
/// </summary>
public static class ErrorCodes
{
    public const string MalformedRequest = "malformed_request";
    public const string ValidationFailed = "validation_failed";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string EmailTaken = "email_taken";
    public const string WeakPassword = "weak_password";
    public const string NetworkFull = "network_full";
    public const string NetworkLocked = "network_locked";
    public const string WrongPassword = "wrong_password";
    public const string PasswordRequired = "password_required";
    public const string AlreadyMember = "already_member";
    public const string JoinPending = "join_pending";
    public const string NotPending = "not_pending";
    public const string OwnerCannotLeave = "owner_cannot_leave";
    public const string NotOwner = "not_owner";
    public const string PremiumRequired = "premium_required";

    /// <summary>402: the network's (or account's) plan does not allow this; the problem's <c>plan</c> names the smallest plan that does.</summary>
    public const string PlanRequired = "plan_required";
    public const string DeviceLimit = "device_limit";
    public const string AddressPoolExhausted = "address_pool_exhausted";
    public const string Banned = "banned";
    public const string RateLimited = "rate_limited";
    public const string InvalidSetupKey = "invalid_setup_key";
    public const string InternalError = "internal_error";
    public const string NotGatewayNetwork = "not_gateway_network";
    public const string NotGateway = "not_gateway";
    public const string RouteOverlap = "route_overlap";
    public const string PasswordChangeRequired = "password_change_required";
    public const string DeviceCodeNotFound = "device_code_not_found";
    public const string InvalidToken = "invalid_token";
    public const string InvalidCode = "invalid_code";
    public const string TwoFactorRequired = "two_factor_required";

    /// <summary>A ban that is very wide, or holds the caller or a relay, needs <c>confirm: true</c>.</summary>
    public const string BanNeedsConfirmation = "ban_needs_confirmation";
    public const string TwoFactorEnabled = "two_factor_enabled";
    public const string TwoFactorNotEnabled = "two_factor_not_enabled";

    /// <summary>429: too many wrong passwords or codes for this account or address; the detail says how long to wait.</summary>
    public const string TooManyAttempts = "too_many_attempts";

    /// <summary>409: payments are not set up on this deployment (no Billing:SecretKey); staff grant plans by hand.</summary>
    public const string BillingNotConfigured = "billing_not_configured";

    /// <summary>409: the account has never bought anything, so there is no Stripe customer to manage.</summary>
    public const string NoBillingAccount = "no_billing_account";

    /// <summary>502: Stripe did not answer or refused the call; the detail says what was attempted.</summary>
    public const string PaymentProviderError = "payment_provider_error";

    /// <summary>400: a Stripe webhook whose signature is missing, wrong or older than the tolerance.</summary>
    public const string InvalidSignature = "invalid_signature";
}
