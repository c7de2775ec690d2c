using System.Text;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>Writes wg-quick style files for <c>hamachi up</c>.</summary>
internal static class ConfigText
{
    public static string Agent(Keys keys, string address, ushort listenPort, params (string PublicKey, string? Endpoint, string AllowedIps)[] peers)
    {
        var text = new StringBuilder();
        text.AppendLine("[Interface]")
            .AppendLine($"PrivateKey = {keys.Private}")
            .AppendLine($"Address = {address}")
            .AppendLine($"ListenPort = {listenPort}");
        foreach (var (publicKey, endpoint, allowed) in peers)
        {
            text.AppendLine().AppendLine("[Peer]").AppendLine($"PublicKey = {publicKey}").AppendLine($"AllowedIPs = {allowed}");
            if (endpoint is not null)
            {
                text.AppendLine($"Endpoint = {endpoint}");
            }
        }

        return text.ToString();
    }
}
