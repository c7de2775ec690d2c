using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// What a built assembly references, read from its metadata without loading it: the referenced
/// assembly names and the full names of the referenced types. Note that the compiler drops
/// references an assembly's code never uses, so this sees real use, not the csproj's wishes.
/// </summary>
internal sealed record AssemblyMetadata(string Name, IReadOnlyList<string> References, IReadOnlyList<string> TypeReferences)
{
    public static AssemblyMetadata Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata)
        {
            throw new InvalidOperationException($"read assembly metadata of {path}: not a .NET assembly");
        }

        var md = pe.GetMetadataReader();
        var name = md.GetString(md.GetAssemblyDefinition().Name);
        var references = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
        var types = md.TypeReferences.Select(h => FullName(md, h)).ToList();
        return new AssemblyMetadata(name, references, types);
    }

    /// <summary>"Namespace.Type"; a nested type is "Namespace.Outer+Inner".</summary>
    private static string FullName(MetadataReader md, TypeReferenceHandle handle)
    {
        var type = md.GetTypeReference(handle);
        var name = md.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(md, (TypeReferenceHandle)type.ResolutionScope) + "+" + name;
        }

        var ns = md.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
