using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("HamachiCloud.Protocol.Tests")]
