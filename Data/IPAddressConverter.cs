using System.Net;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace HamachiCloud.Data;

/// <summary>Stores an <see cref="IPAddress"/> as its canonical text on every provider.</summary>
public sealed class IPAddressConverter : ValueConverter<IPAddress, string>
{
    public IPAddressConverter()
        : base(a => a.ToString(), s => IPAddress.Parse(s))
    {
    }
}
