// RUN: ge-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// Verifier rules of memory.arena and memory.buffer; one diagnostic per chunk.
// (Line numbers of verifier errors are chunk-relative in split mode, hence {{[0-9]+}}.)

// CHECK: {{.*}}invalid.mlir:{{[0-9]+}}:1: error: memory.arena: space must be one of device, host
// CHECK-NEXT: memory.arena @a {space = "disk", size = 16 : i64}
memory.arena @a {space = "disk", size = 16 : i64}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:1: error: memory.arena: size must be >= 0, got -1
// CHECK-NEXT: memory.arena @a {size = -1 : i64}
memory.arena @a {size = -1 : i64}

// -----

// The size is required.

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:{{[0-9]+}}: error: {{.*}}size{{.*}}
memory.arena @a {space = "host"}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:1: error: memory.arena: alignment must be a power of two, got 48
memory.arena @a {size = 16 : i64, alignment = 48 : i64}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:1: error: memory.arena: alignment must be a power of two, got 0
memory.arena @a {size = 16 : i64, alignment = 0 : i64}

// -----

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:1: error: memory.arena: alignment must be a power of two, got -8
memory.arena @a {size = 16 : i64, alignment = -8 : i64}

// -----

// A buffer must lie inside its arena: [512, 512 + 200 * 4) is past 1024 bytes ...

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: buffer [512, 1312) lies outside arena @a of 1024 bytes
// CHECK-NEXT: %0 = memory.buffer @a[512] : memref<200xf32>
func.func @f() {
  %0 = memory.buffer @a[512] : memref<200xf32>
  func.return
}

// -----

// ... by one byte (f16: 2 bytes each) ...

memory.arena @a {size = 8 : i64, alignment = 1 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: buffer [1, 9) lies outside arena @a of 8 bytes
func.func @f() {
  %0 = memory.buffer @a[1] : memref<2x2xf16>
  func.return
}

// -----

// ... and not before it.

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: buffer [-512, -504) lies outside arena @a of 1024 bytes
func.func @f() {
  %0 = memory.buffer @a[-512] : memref<2xf32>
  func.return
}

// -----

// Offsets are multiples of the arena alignment (default 512).

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: offset 100 is not aligned to 512 bytes
// CHECK-NEXT: %0 = memory.buffer @a[100] : memref<2xf32>
func.func @f() {
  %0 = memory.buffer @a[100] : memref<2xf32>
  func.return
}

// -----

memory.arena @a {size = 64 : i64, alignment = 16 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: offset 8 is not aligned to 16 bytes
func.func @f() {
  %0 = memory.buffer @a[8] : memref<2xf32>
  func.return
}

// -----

// The arena symbol must exist ...

// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: 'nope' does not name a memory.arena
// CHECK-NEXT: %0 = memory.buffer @nope[0] : memref<2xf32>
func.func @f() {
  %0 = memory.buffer @nope[0] : memref<2xf32>
  func.return
}

// -----

// ... and be a memory.arena.

stream.kernel @k {
  stream.yield
}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: 'k' does not name a memory.arena
func.func @f() {
  %0 = memory.buffer @k[0] : memref<2xf32>
  func.return
}

// -----

// lifetime is [first, last] with 0 <= first <= last: not reversed ...

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: lifetime must be [first, last] with 0 <= first <= last
// CHECK-NEXT: %0 = memory.buffer @a[0] {lifetime = array<i64: 3, 1>} : memref<2xf32>
func.func @f() {
  %0 = memory.buffer @a[0] {lifetime = array<i64: 3, 1>} : memref<2xf32>
  func.return
}

// -----

// ... not negative ...

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: lifetime must be [first, last] with 0 <= first <= last
func.func @f() {
  %0 = memory.buffer @a[0] {lifetime = array<i64: -1, 2>} : memref<2xf32>
  func.return
}

// -----

// ... exactly two entries ...

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: lifetime must be [first, last] with 0 <= first <= last
func.func @f() {
  %0 = memory.buffer @a[0] {lifetime = array<i64: 1>} : memref<2xf32>
  func.return
}

// -----

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: lifetime must be [first, last] with 0 <= first <= last
func.func @f() {
  %0 = memory.buffer @a[0] {lifetime = array<i64: 0, 1, 2>} : memref<2xf32>
  func.return
}

// -----

// ... of i64.

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: Expected attribute i64 but got i32
func.func @f() {
  %0 = memory.buffer @a[0] {lifetime = array<i32: 0, 1>} : memref<2xf32>
  func.return
}

// -----

// A buffer has a static shape.

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: a buffer must have a static shape
// CHECK-NEXT: %0 = memory.buffer @a[0] : memref<?x2xf32>
func.func @f() {
  %0 = memory.buffer @a[0] : memref<?x2xf32>
  func.return
}

// -----

// A buffer is a memref (a type constraint on the result), in the generic form ...

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:{{[0-9]+}}:3: error: memory.buffer: result 'result' at position 0 does not verify: tensor<2xf32> should be of base attribute memref
func.func @f() {
  %0 = "memory.buffer"() <{arena = @a, offset = 0 : i64}> : () -> tensor<2xf32>
  func.return
}

// -----

// ... and in the custom form, where it is checked while parsing (file line numbers).

memory.arena @a {size = 1024 : i64}
// CHECK: // {{-+}}
// CHECK-NEXT: {{.*}}invalid.mlir:[[# @LINE + 3]]:3: error: tensor<2xf32> should be of base attribute memref
// CHECK-NEXT: %0 = memory.buffer @a[0] : tensor<2xf32>
func.func @f() {
  %0 = memory.buffer @a[0] : tensor<2xf32>
  func.return
}
