using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// The RSA keys that sign and encrypt OAuth tokens, kept as PEM files (mode 0600) in
/// <c>Identity:KeyDirectory</c> and created on first start. Api nodes that share the directory
/// accept each other's tokens.
/// </summary>
internal static class TokenKeyStore
{
    public static RsaSecurityKey Load(string directory, string name)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".pem");
        var rsa = RSA.Create();
        if (File.Exists(path))
        {
            try
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                rsa.Dispose();
                throw new InvalidOperationException($"Identity:KeyDirectory: {path} is not a PEM RSA private key: {e.Message}", e);
            }
        }
        else
        {
            rsa.KeySize = 2048;
            var pem = rsa.ExportPkcs8PrivateKeyPem();
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, fileOptions);
            using var writer = new StreamWriter(stream);
            writer.Write(pem);
        }

        return new RsaSecurityKey(rsa) { KeyId = name + "-" + Convert.ToHexStringLower(SHA256.HashData(rsa.ExportRSAPublicKey()))[..16] };
    }
}
