using System.Buffers.Binary;
using System.Text;

namespace HamachiCloud.Protocol.Control;

/// <summary>
/// The exact bytes each side signs during login, so neither signature can be replayed in
/// another role or connection.
/// <code>
/// label (ASCII, 24 bytes, zero padded) | version u32 BE | device id (16, RFC 4122 order)
/// | agent nonce (32) | server nonce (32)
/// </code>
/// Labels: "hamachi/control/server" (server proof) and "hamachi/control/agent " (agent proof).
/// </summary>
public static class LoginTranscript
{
    public const int Size = 24 + 4 + 16 + ControlProtocol.NonceSize * 2;

    public static byte[] ServerProof(int version, Guid deviceId, ReadOnlySpan<byte> agentNonce, ReadOnlySpan<byte> serverNonce) =>
        Build("hamachi/control/server", version, deviceId, agentNonce, serverNonce);

    public static byte[] AgentProof(int version, Guid deviceId, ReadOnlySpan<byte> agentNonce, ReadOnlySpan<byte> serverNonce) =>
        Build("hamachi/control/agent ", version, deviceId, agentNonce, serverNonce);

    private static byte[] Build(string label, int version, Guid deviceId, ReadOnlySpan<byte> agentNonce, ReadOnlySpan<byte> serverNonce)
    {
        if (agentNonce.Length != ControlProtocol.NonceSize || serverNonce.Length != ControlProtocol.NonceSize)
        {
            throw new ArgumentException($"nonces must be {ControlProtocol.NonceSize} bytes");
        }

        var bytes = new byte[Size];
        Encoding.ASCII.GetBytes(label, bytes.AsSpan(0, 24));
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(24, 4), version);
        deviceId.TryWriteBytes(bytes.AsSpan(28, 16), bigEndian: true, out _);
        agentNonce.CopyTo(bytes.AsSpan(44));
        serverNonce.CopyTo(bytes.AsSpan(44 + ControlProtocol.NonceSize));
        return bytes;
    }
}
