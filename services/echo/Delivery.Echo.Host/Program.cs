using Delivery.Echo;
using Delivery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEcho();
builder.AddDeliveryBus();

var app = builder.Build();
app.MapServiceDefaults();
app.MapEcho();
app.Run();

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
