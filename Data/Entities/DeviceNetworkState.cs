namespace HamachiCloud.Data.Entities;

/// <summary>
/// A device's own choice inside one network (Hamachi's go-online / go-offline). No row means
/// online: a device takes part in every network its account is an active member of.
/// </summary>
public class DeviceNetworkState
{
    public Guid DeviceId { get; set; }
    public Device? Device { get; set; }
    public Guid NetworkId { get; set; }
    public Network? Network { get; set; }
    public bool Online { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
