using Delivery.Gate;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGate();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapGate();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
