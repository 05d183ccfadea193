namespace Delivery.Clouddriver.Local;

/// <summary>Spinnaker's instance health states as the local provider reports them.</summary>
public enum InstanceHealth
{
    /// <summary>Running, its health check has not answered 2xx yet.</summary>
    Starting,

    /// <summary>Its health check answers 2xx; receives traffic when its server group is enabled.</summary>
    Up,

    /// <summary>Its process exited, or its health check failed after it was Up, or a balancer could not connect to it.</summary>
    Down,

    /// <summary>Healthy, but its server group is disabled, so it gets no traffic.</summary>
    OutOfService,
}
