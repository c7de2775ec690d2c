namespace HamachiCloud.Api.ControlPlane;

/// <summary>A control session that dropped without goodbye, and when its device goes offline if it does not come back.</summary>
internal sealed record LostConnection(Guid DeviceId, string ConnectionId, DateTimeOffset OfflineAt);
