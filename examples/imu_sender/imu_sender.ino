// Proprio IMU sender: an MPU-6050 on a wobble board, streamed to Proprio over USB serial
// (any Arduino) and, on an ESP32, also over Wi-Fi as UDP.
//
// Wire format (docs/devices.md): one line per sample, newline-terminated ASCII:
//     t_s,ax,ay,az,gx,gy,gz
// t_s in seconds since boot, accelerometer in g, gyroscope in deg/s (not rad/s: Proprio checks). Proprio fuses them into
// roll and pitch itself (imufusion), so this sketch sends raw readings and needs no library.
//
// Wiring (MPU-6050 breakout): VCC -> 3.3V, GND -> GND, SDA -> SDA (ESP32: GPIO 21, Uno: A4),
// SCL -> SCL (ESP32: GPIO 22, Uno: A5).
// Mounting: chip's X arrow toward the player's toes (forward), Z up; Y then points left.
// Another mounting works too: calibration (`proprio calibrate`) absorbs it.
//
// Play:
//   USB:   proprio play --input imu-serial:/dev/ttyUSB0@115200   (Linux; macOS /dev/cu.usbserial-*, Windows COM3)
//   Wi-Fi: set WIFI_SSID, WIFI_PASSWORD and PROPRIO_HOST below, then
//          proprio play --input imu-udp:0.0.0.0:9000

#include <Wire.h>

#if defined(ESP32)
#include <WiFi.h>
#include <WiFiUdp.h>
const char *WIFI_SSID = "your-network";
const char *WIFI_PASSWORD = "your-password";
const char *PROPRIO_HOST = "192.168.1.20";  // the computer running Proprio
const uint16_t PROPRIO_PORT = 9000;
WiFiUDP udp;
bool wifiUp = false;
#endif

const uint8_t MPU_ADDR = 0x68;
const unsigned long PERIOD_US = 10000;  // 100 Hz
const float ACCEL_LSB_PER_G = 16384.0;  // +-2 g range
const float GYRO_LSB_PER_DPS = 131.0;   // +-250 deg/s range

void writeRegister(uint8_t reg, uint8_t value) {
  Wire.beginTransmission(MPU_ADDR);
  Wire.write(reg);
  Wire.write(value);
  Wire.endTransmission();
}

// Append ",value" (no comma before the first) to a line. AVR's printf has no %f, so dtostrf there.
void appendNumber(char *line, size_t size, double value, int decimals) {
  char number[20];
#if defined(__AVR__)
  dtostrf(value, 1, decimals, number);
#else
  snprintf(number, sizeof number, "%.*f", decimals, value);
#endif
  if (line[0] != '\0') strncat(line, ",", size - strlen(line) - 1);
  strncat(line, number, size - strlen(line) - 1);
}

bool readSensor(int16_t raw[7]) {
  Wire.beginTransmission(MPU_ADDR);
  Wire.write(0x3B);  // ACCEL_XOUT_H: accel x,y,z, temperature, gyro x,y,z
  if (Wire.endTransmission(false) != 0) return false;
  if (Wire.requestFrom(MPU_ADDR, (uint8_t)14) != 14) return false;
  for (int i = 0; i < 7; i++) {
    raw[i] = (int16_t)((Wire.read() << 8) | Wire.read());
  }
  return true;
}

// Gyroscope offset (deg/s) measured at start: an MPU-6050 reads up to +-20 deg/s when still.
// Keep the board still for the first second after power-up. Proprio also removes any offset
// (left over, or drifting with temperature) whenever the board lies still, so this is a head start.
float gyroOffsetDps[3] = {0, 0, 0};

void measureGyroOffset() {
  const int SAMPLES = 100;  // 1 s at 100 Hz
  long sum[3] = {0, 0, 0};
  int got = 0;
  int16_t raw[7];
  for (int i = 0; i < SAMPLES; i++) {
    if (readSensor(raw)) {
      for (int k = 0; k < 3; k++) sum[k] += raw[4 + k];
      got++;
    }
    delay(10);
  }
  if (got > 0) {
    for (int k = 0; k < 3; k++) gyroOffsetDps[k] = sum[k] / (float)got / GYRO_LSB_PER_DPS;
  }
}

void setup() {
  Serial.begin(115200);
  Wire.begin();
  Wire.setClock(400000);
  writeRegister(0x6B, 0x00);  // wake up
  writeRegister(0x1A, 0x03);  // digital low-pass filter ~44 Hz
  writeRegister(0x1B, 0x00);  // gyro +-250 deg/s
  writeRegister(0x1C, 0x00);  // accel +-2 g
  measureGyroOffset();
  Serial.println("# proprio imu sender: t_s,ax,ay,az,gx,gy,gz");  // Proprio skips '#' lines
#if defined(ESP32)
  WiFi.mode(WIFI_STA);
  WiFi.begin(WIFI_SSID, WIFI_PASSWORD);
#endif
}

void loop() {
  static unsigned long next = micros();
  if ((long)(micros() - next) < 0) return;
  next += PERIOD_US;

  int16_t raw[7];
  if (!readSensor(raw)) {
    Serial.println("# sensor not answering: check the wiring");
    delay(500);
    return;
  }
  // Seconds since boot, kept in 64 bits: micros() wraps round after about 71 minutes.
  static uint64_t elapsedUs = 0;
  static unsigned long lastUs = micros();
  unsigned long nowUs = micros();
  elapsedUs += (unsigned long)(nowUs - lastUs);
  lastUs = nowUs;

  char line[112];
  line[0] = '\0';
  appendNumber(line, sizeof line, elapsedUs / 1e6, 4);
  appendNumber(line, sizeof line, raw[0] / ACCEL_LSB_PER_G, 4);
  appendNumber(line, sizeof line, raw[1] / ACCEL_LSB_PER_G, 4);
  appendNumber(line, sizeof line, raw[2] / ACCEL_LSB_PER_G, 4);
  appendNumber(line, sizeof line, raw[4] / GYRO_LSB_PER_DPS - gyroOffsetDps[0], 3);
  appendNumber(line, sizeof line, raw[5] / GYRO_LSB_PER_DPS - gyroOffsetDps[1], 3);
  appendNumber(line, sizeof line, raw[6] / GYRO_LSB_PER_DPS - gyroOffsetDps[2], 3);
  strncat(line, "\n", sizeof line - strlen(line) - 1);
  Serial.print(line);

#if defined(ESP32)
  if (WiFi.status() == WL_CONNECTED) {
    if (!wifiUp) {
      wifiUp = true;
      Serial.print("# wifi up, sending UDP from ");
      Serial.println(WiFi.localIP());
    }
    udp.beginPacket(PROPRIO_HOST, PROPRIO_PORT);
    udp.write((const uint8_t *)line, strlen(line));
    udp.endPacket();
  } else {
    wifiUp = false;
  }
#endif
}
