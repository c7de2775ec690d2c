using System.Text;
using QRCoder;

namespace HamachiCloud.Portal.Components.Account;

/// <summary>
/// A QR code as an SVG <c>data:</c> URI for an <c>img</c> (the CSP allows <c>img-src data:</c>; no
/// script, no request leaves the Portal). Used for the authenticator's <c>otpauth://</c> URI.
/// </summary>
public static class QrCodeImage
{
    public static string SvgDataUri(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(6);
        return "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }
}
