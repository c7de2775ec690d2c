using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The server's Ed25519 identity key: signs login transcripts and network maps; agents pin its
/// public half at enrolment. Kept as the base64 seed in <c>Identity:KeyDirectory</c>
/// (<see cref="FileName"/>, mode 0600), created on first start; Api nodes share the directory and
/// so the key. Thread-safe.
/// </summary>
internal sealed class ServerIdentity : IDisposable
{
    public const string FileName = "server-identity.ed25519";

    private readonly SigningKey _key;

    private ServerIdentity(SigningKey key)
    {
        _key = key;
    }

    public SigningPublicKey PublicKey => _key.PublicKey;

    public static ServerIdentity Load(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            using var fresh = SigningKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(fresh.ToBytes()) + "\n");
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node created it at the same moment: use theirs.
            }
        }

        var text = File.ReadAllText(path).Trim();
        var seed = new byte[SigningKey.Size];
        if (!Convert.TryFromBase64String(text, seed, out var written) || written != SigningKey.Size)
        {
            throw new InvalidOperationException($"Identity:KeyDirectory: {path} is not a base64 Ed25519 seed of {SigningKey.Size} bytes");
        }

        return new ServerIdentity(SigningKey.FromBytes(seed));
    }

    public byte[] Sign(ReadOnlySpan<byte> message) => _key.Sign(message);

    /// <summary>The signed JSON (web defaults) of a map or delta.</summary>
    public SignedMessage SignJson<T>(T value)
    {
        var payload = ControlJson.Serialize(value);
        return new SignedMessage(payload, Sign(payload));
    }

    /// <summary>The 161 signed bytes of a relay token.</summary>
    public byte[] SignRelayToken(HamachiCloud.Protocol.Relay.RelayToken token) => token.ToBytes(_key);

    public void Dispose() => _key.Dispose();
}
