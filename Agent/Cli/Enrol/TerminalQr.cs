using System.Text;
using QRCoder;

namespace HamachiCloud.Agent.Enrol;

/// <summary>
/// A QR code of the sign-in URL for the terminal, so a phone can open it: two modules per
/// character cell with Unicode half blocks, light modules drawn (readable on dark and light
/// terminals alike, like <c>qrencode -t UTF8</c>), with the standard 4-module quiet zone.
/// </summary>
public static class TerminalQr
{
    public static string Render(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.L);
        return Render(data.ModuleMatrix.Select(row => Enumerable.Range(0, row.Length).Select(i => row[i]).ToArray()).ToArray());
    }

    /// <summary>Draws a module matrix (true = dark) with half blocks; an odd last row is paired with a light row.</summary>
    public static string Render(bool[][] dark)
    {
        var text = new StringBuilder();
        for (var y = 0; y < dark.Length; y += 2)
        {
            for (var x = 0; x < dark[y].Length; x++)
            {
                var topLight = !dark[y][x];
                var bottomLight = y + 1 >= dark.Length || !dark[y + 1][x];
                text.Append((topLight, bottomLight) switch
                {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    _ => ' ',
                });
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
