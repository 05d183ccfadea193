using System.Net;
using System.Net.Sockets;

namespace Delivery.Clouddriver.Local;

/// <summary>Free loopback ports, asked of the OS (bind to port 0), never handed out twice in a row to two instances.</summary>
public static class FreePorts
{
    private static readonly HashSet<int> Recent = [];
    private static readonly Queue<int> RecentOrder = new();

    public static int Next()
    {
        lock (Recent)
        {
            for (var attempt = 0; ; attempt++)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                // The OS may offer a port just released by an instance that is still starting; skip recent ones.
                if (Recent.Add(port) || attempt > 20)
                {
                    RecentOrder.Enqueue(port);
                    if (RecentOrder.Count > 512)
                    {
                        Recent.Remove(RecentOrder.Dequeue());
                    }
                    return port;
                }
            }
        }
    }
}
