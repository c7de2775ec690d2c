using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HamachiCloud.Agent.Platform.Linux;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Config;

/// <summary>
/// Reads wg-quick style files: [Interface] (PrivateKey, Address, ListenPort, MTU) and [Peer] (PublicKey,
/// PresharedKey, Endpoint, AllowedIPs, PersistentKeepalive); '#' comments; keys and section names are
/// case-insensitive. Anything unknown, malformed, duplicated or missing throws <see cref="ConfigException"/>
/// naming file, line and key, so a bad file stops the start instead of half-working.
/// </summary>
public static class ConfigParser
{
    public const int MinMtu = 576;

    private static readonly HashSet<string> WgQuickOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        "DNS", "Table", "PreUp", "PostUp", "PreDown", "PostDown", "SaveConfig", "FwMark",
    };

    /// <summary>Reads and parses <paramref name="path"/>.</summary>
    public static AgentConfig ParseFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read the configuration: {e.Message}", e);
        }

        return Parse(path, text);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="file"/> only names it in errors.</summary>
    public static AgentConfig Parse(string file, string text)
    {
        var state = new ParseState(file);
        try
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                state.Line(i + 1, lines[i]);
            }

            return state.Finish();
        }
        catch
        {
            state.PrivateKey?.Dispose();
            throw;
        }
    }

    private sealed class ParseState(string file)
    {
        private readonly Dictionary<string, int> _seen = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<InterfaceAddress> _addresses = [];
        private readonly List<PeerSection> _peers = [];
        private readonly Dictionary<NodeKey, int> _peerLines = [];
        private string? _section;
        private int _interfaceLine;
        private int _mtuLine;
        private ushort? _listenPort;
        private int? _mtu;
        private PeerSection? _peer;
        private List<IPNetwork> _allowed = [];
        private int _line;

        public NodePrivateKey? PrivateKey { get; private set; }

        public void Line(int number, string raw)
        {
            _line = number;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var text = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (text.Length == 0)
            {
                return;
            }

            if (text.StartsWith('['))
            {
                Section(text);
                return;
            }

            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Error(text, "expected 'Key = Value'");
            }

            var key = text[..equals].Trim();
            var value = text[(equals + 1)..].Trim();
            if (_section is null)
            {
                throw Error(key, "outside a section (the file starts with [Interface])");
            }

            if (value.Length == 0)
            {
                throw Error(key, "empty value");
            }

            if (_section == "Interface")
            {
                InterfaceKey(key, value);
            }
            else
            {
                PeerKey(key, value);
            }
        }

        public AgentConfig Finish()
        {
            EndPeer();
            if (_section is null && _interfaceLine == 0)
            {
                throw new ConfigException(file, Math.Max(_line, 1), "PrivateKey", "no [Interface] section");
            }

            if (PrivateKey is null)
            {
                throw new ConfigException(file, _interfaceLine, "PrivateKey", "missing in [Interface] (make one with `hamachi genkey`)");
            }

            if (_mtu is < 1280 && _addresses.Exists(a => a.Address.AddressFamily == AddressFamily.InterNetworkV6))
            {
                throw new ConfigException(file, _mtuLine, "MTU", $"{_mtu} is below 1280, the IPv6 minimum, and Address has an IPv6 address");
            }

            foreach (var peer in _peers)
            {
                if (peer.PublicKey.Equals(PrivateKey.PublicKey))
                {
                    throw new ConfigException(file, _peerLines[peer.PublicKey], "PublicKey", "is this interface's own public key");
                }
            }

            var section = new InterfaceSection { PrivateKey = PrivateKey, Addresses = _addresses, ListenPort = _listenPort, Mtu = _mtu };
            return new AgentConfig(section, _peers);
        }

        private void Section(string text)
        {
            if (!text.EndsWith(']'))
            {
                throw Error(text, "section header without ']'");
            }

            EndPeer();
            _seen.Clear();
            var name = text[1..^1].Trim();
            if (name.Equals("Interface", StringComparison.OrdinalIgnoreCase))
            {
                if (_interfaceLine != 0)
                {
                    throw Error(text, $"second [Interface] section (the first is on line {_interfaceLine})");
                }

                _section = "Interface";
                _interfaceLine = _line;
            }
            else if (name.Equals("Peer", StringComparison.OrdinalIgnoreCase))
            {
                _section = "Peer";
                _peer = new PeerSection { PublicKey = null!, Line = _line };
                _allowed = [];
            }
            else
            {
                throw Error(text, "unknown section (expected [Interface] or [Peer])");
            }
        }

        private void InterfaceKey(string key, string value)
        {
            switch (key.ToUpperInvariant())
            {
                case "PRIVATEKEY":
                    Once(key);
                    if (!NodePrivateKey.TryParseBase64(value, out var privateKey))
                    {
                        throw Error(key, "not a WireGuard key (base64 of 32 bytes, as `hamachi genkey` or `wg genkey` print)");
                    }

                    PrivateKey = privateKey;
                    break;
                case "ADDRESS":
                    foreach (var item in List(key, value))
                    {
                        if (!InterfaceAddress.TryParse(item, out var address))
                        {
                            throw Error(key, $"'{item}' is not an address with prefix (e.g. 100.64.0.1/10)");
                        }

                        if (_addresses.Contains(address.Value))
                        {
                            throw Error(key, $"'{item}' is listed twice");
                        }

                        _addresses.Add(address.Value);
                    }

                    break;
                case "LISTENPORT":
                    Once(key);
                    _listenPort = ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
                        ? port
                        : throw Error(key, $"'{value}' is not a port (0-65535)");
                    break;
                case "MTU":
                    Once(key);
                    _mtuLine = _line;
                    _mtu = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var mtu) && mtu is >= MinMtu and <= 65535
                        ? mtu
                        : throw Error(key, $"'{value}' is not an MTU ({MinMtu}-65535)");
                    break;
                default:
                    throw WgQuickOnly.Contains(key)
                        ? Error(key, "a wg-quick key that hamachi up does not support; remove it")
                        : Error(key, "unknown key in [Interface] (PrivateKey, Address, ListenPort, MTU)");
            }
        }

        private void PeerKey(string key, string value)
        {
            var peer = _peer!;
            switch (key.ToUpperInvariant())
            {
                case "PUBLICKEY":
                    Once(key);
                    if (!NodeKey.TryParseBase64(value, out var publicKey))
                    {
                        throw Error(key, "not a WireGuard key (base64 of 32 bytes, as `hamachi pubkey` or `wg pubkey` print)");
                    }

                    if (_peerLines.TryGetValue(publicKey!, out var first))
                    {
                        throw Error(key, $"duplicate peer: the [Peer] with PublicKey on line {first} has the same key");
                    }

                    _peerLines[publicKey!] = _line;
                    _peer = peer with { PublicKey = publicKey! };
                    break;
                case "PRESHAREDKEY":
                    Once(key);
                    _peer = PresharedKey.TryParseBase64(value, out var psk)
                        ? peer with { PresharedKey = psk }
                        : throw Error(key, "not a WireGuard key (base64 of 32 bytes, as `wg genpsk` prints)");
                    break;
                case "ENDPOINT":
                    Once(key);
                    _peer = peer with { Endpoint = EndpointParser.Parse(value, reason => Error(key, reason)) };
                    break;
                case "ALLOWEDIPS":
                    foreach (var item in List(key, value))
                    {
                        if (!InterfaceAddress.TryParse(item, out var prefix))
                        {
                            throw Error(key, $"'{item}' is not a CIDR prefix (e.g. 100.64.0.2/32)");
                        }

                        _allowed.Add(prefix.Value.Network);
                    }

                    break;
                case "PERSISTENTKEEPALIVE":
                    Once(key);
                    if (value.Equals("off", StringComparison.OrdinalIgnoreCase))
                    {
                        break;
                    }

                    _peer = ushort.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                        ? peer with { PersistentKeepalive = seconds == 0 ? null : TimeSpan.FromSeconds(seconds) }
                        : throw Error(key, $"'{value}' is not a number of seconds (0-65535) or 'off'");
                    break;
                default:
                    throw Error(key, "unknown key in [Peer] (PublicKey, PresharedKey, Endpoint, AllowedIPs, PersistentKeepalive)");
            }
        }

        private void EndPeer()
        {
            if (_peer is null)
            {
                return;
            }

            if (_peer.PublicKey is null)
            {
                throw new ConfigException(file, _peer.Line, "PublicKey", "missing in [Peer]");
            }

            _peers.Add(_peer with { AllowedIps = _allowed });
            _peer = null;
        }

        private void Once(string key)
        {
            if (_seen.TryGetValue(key, out var first))
            {
                throw Error(key, $"given twice in one section (first on line {first})");
            }

            _seen[key] = _line;
        }

        private string[] List(string key, string value)
        {
            var items = value.Split(',', StringSplitOptions.TrimEntries);
            if (Array.IndexOf(items, "") >= 0)
            {
                throw Error(key, "empty item in a comma-separated list");
            }

            return items;
        }

        private ConfigException Error(string key, string reason) => new(file, _line, key, reason);
    }
}
