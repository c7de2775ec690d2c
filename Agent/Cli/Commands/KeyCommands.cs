using System.Security.Cryptography;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Commands;

/// <summary><c>hamachi genkey</c> and <c>hamachi pubkey</c>, same formats as <c>wg genkey</c> / <c>wg pubkey</c>.</summary>
public static class KeyCommands
{
    public static int GenKey(TextWriter stdout)
    {
        using var random = RandomNumberGenerator.Create();
        using var key = NodePrivateKey.Generate(random);
        stdout.WriteLine(key.ToBase64());
        return CommandLine.Ok;
    }

    public static int PubKey(TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        var text = stdin.ReadToEnd().Trim();
        if (!NodePrivateKey.TryParseBase64(text, out var key))
        {
            stderr.WriteLine("hamachi pubkey: stdin is not a private key (base64 of 32 bytes, as `hamachi genkey` prints)");
            return CommandLine.Failure;
        }

        using (key)
        {
            stdout.WriteLine(key!.PublicKey.ToBase64());
        }

        return CommandLine.Ok;
    }
}
