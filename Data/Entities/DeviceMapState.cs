namespace HamachiCloud.Data.Entities;

/// <summary>
/// The last network map sent to a device: its version (monotonic per device, the optimistic
/// concurrency token, so two Api nodes cannot issue the same version) and its JSON, which the
/// next delta is computed against.
/// </summary>
public class DeviceMapState
{
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }
    public long Version { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset IssuedAt { get; set; }
}
