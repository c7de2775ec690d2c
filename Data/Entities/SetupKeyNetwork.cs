namespace HamachiCloud.Data.Entities;

/// <summary>
/// A network a device enrolled with the setup key takes part in (chosen when the key is created).
/// Deleted with the key or the network, so a key never points at a network deleted since.
/// </summary>
public class SetupKeyNetwork
{
    public Guid SetupKeyId { get; set; }
    public SetupKey? SetupKey { get; set; }
    public Guid NetworkId { get; set; }
    public Network? Network { get; set; }
}
