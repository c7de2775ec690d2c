namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// Pure: where the connection graph puts its nodes in a square of <c>size</c> units. Circle layout
/// for meshes; star layout (hubs in the middle, on a small inner circle when there are several)
/// for hub-and-spoke and gateway networks.
/// </summary>
public static class GraphLayout
{
    public static Dictionary<Guid, (double X, double Y)> Place(IReadOnlyList<PictureNode> nodes, bool star, double size)
    {
        var center = size / 2;
        var outer = size / 2 - 60; // room for the labels
        var result = new Dictionary<Guid, (double, double)>();
        var hubs = star ? nodes.Where(n => n.Hub).ToList() : [];
        var ring = star && hubs.Count > 0 ? nodes.Where(n => !n.Hub).ToList() : [.. nodes];
        if (hubs.Count == 1)
        {
            result[hubs[0].DeviceId] = (center, center);
        }
        else
        {
            Circle(hubs, center, outer / 3, result);
        }

        Circle(ring, center, ring.Count == 1 && hubs.Count == 0 ? 0 : outer, result);
        return result;
    }

    private static void Circle(List<PictureNode> nodes, double center, double radius, Dictionary<Guid, (double, double)> into)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var angle = -Math.PI / 2 + 2 * Math.PI * i / nodes.Count;
            into[nodes[i].DeviceId] = (Math.Round(center + radius * Math.Cos(angle), 1), Math.Round(center + radius * Math.Sin(angle), 1));
        }
    }
}
