namespace HamachiCloud.Api.Contracts.Networks;

/// <summary>
/// PATCH /api/v1/networks/{id}: every member is optional; absent members keep their value.
/// <see cref="Password"/> "" removes the password. <see cref="AllowPublicRoutes"/>: owner only, gateway
/// networks only; turning it off rejects the approved public routes.
/// <see cref="Type"/> switches the network's type (a gateway network needs a plan with premium features: 402
/// <c>plan_required</c> otherwise).
/// </summary>
public sealed record UpdateNetworkRequest(
    string? Name = null,
    string? Password = null,
    JoinPolicy? JoinPolicy = null,
    bool? Locked = null,
    bool? AllowPublicRoutes = null,
    NetworkType? Type = null);
