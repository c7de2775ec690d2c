using HamachiCloud.Api.Contracts.Client;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// The typed client without any user token, for the pages a visitor uses before signing in (sign up,
/// email confirmation, forgot / reset password). Calls carry the action's correlation id only.
/// Only the Api's anonymous endpoints answer it; anything else is a 401.
/// </summary>
public sealed class AnonymousApi(HamachiClient client)
{
    public HamachiClient Client => client;
}
