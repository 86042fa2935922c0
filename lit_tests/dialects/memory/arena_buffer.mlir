// RUN: ge-opt %s --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | ge-opt --split-input-file | filecheck %s
// RUN: ge-opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=CHECK-GENERIC
// RUN: ge-opt %s --split-input-file -p dce | filecheck %s --check-prefix=CHECK-DCE

// memory.arena (symbol; space "device" (default) or "host"; size; alignment, default 512) and
// memory.buffer (memref view at a byte offset of an arena, optional lifetime, discardable
// binding). Defaults are elided in the custom form, printed in the generic form.

// CHECK-LABEL: builtin.module {
// CHECK-NEXT: memory.arena @inputs {size = 512 : i64}
// CHECK-NEXT: memory.arena @weights_host {space = "host", size = 1024 : i64}
// CHECK-NEXT: memory.arena @small {size = 64 : i64, alignment = 16 : i64}
// CHECK-NEXT: memory.arena @empty {size = 0 : i64, alignment = 1 : i64}
// CHECK-NEXT: func.func @buffers() {
// CHECK-NEXT: [[A:%.*]] = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 2>} : memref<2x3xf32>
// CHECK-NEXT: [[W:%.*]] = memory.buffer @weights_host[512] {binding = "weight:fc.weight", lifetime = array<i64: 1, 1>} : memref<3x4xf32>
// CHECK-NEXT: {{%.*}} = memory.buffer @small[16] : memref<4xf16>
// CHECK-NEXT: {{%.*}} = memory.buffer @small[48] {lifetime = array<i64: 3, 7>} : memref<2xi64>
// CHECK-NEXT: {{%.*}} = memory.buffer @empty[0] : memref<0xf32>
// CHECK-NEXT: {{%.*}} = memory.buffer @inputs[0] : memref<i8>
// CHECK-NEXT: [[D:%.*]] = memory.buffer @inputs[0] : memref<3x4xf32>
// CHECK-NEXT: {{%.*}} = stream.copy "h2d" [[W]] to [[D]] : memref<3x4xf32> to memref<3x4xf32>
// CHECK-NEXT: func.return
// CHECK-GENERIC-LABEL: "builtin.module"() ({
// CHECK-GENERIC-NEXT: "memory.arena"() <{sym_name = "inputs", size = 512 : i64, space = "device", alignment = 512 : i64}> : () -> ()
// CHECK-GENERIC-NEXT: "memory.arena"() <{sym_name = "weights_host", space = "host", size = 1024 : i64, alignment = 512 : i64}> : () -> ()
// CHECK-GENERIC-NEXT: "memory.arena"() <{sym_name = "small", size = 64 : i64, alignment = 16 : i64, space = "device"}> : () -> ()
// CHECK-GENERIC-NEXT: "memory.arena"() <{sym_name = "empty", size = 0 : i64, alignment = 1 : i64, space = "device"}> : () -> ()
// CHECK-GENERIC: [[A:%.*]] = "memory.buffer"() <{arena = @inputs, offset = 0 : i64, lifetime = array<i64: 0, 2>}> {binding = "input:0"} : () -> memref<2x3xf32>
// CHECK-GENERIC-NEXT: [[W:%.*]] = "memory.buffer"() <{arena = @weights_host, offset = 512 : i64, lifetime = array<i64: 1, 1>}> {binding = "weight:fc.weight"} : () -> memref<3x4xf32>
// CHECK-GENERIC-NEXT: "memory.buffer"() <{arena = @small, offset = 16 : i64}> : () -> memref<4xf16>
// CHECK-GENERIC-NEXT: "memory.buffer"() <{arena = @small, offset = 48 : i64, lifetime = array<i64: 3, 7>}> : () -> memref<2xi64>
// CHECK-GENERIC-NEXT: "memory.buffer"() <{arena = @empty, offset = 0 : i64}> : () -> memref<0xf32>
// CHECK-GENERIC-NEXT: "memory.buffer"() <{arena = @inputs, offset = 0 : i64}> : () -> memref<i8>
memory.arena @inputs {size = 512 : i64}
memory.arena @weights_host {space = "host", size = 1024 : i64}
memory.arena @small {size = 64 : i64, alignment = 16 : i64}
memory.arena @empty {size = 0 : i64, alignment = 1 : i64}
func.func @buffers() {
  // The 24-byte buffer is not padded: an arena only bounds [offset, offset + bytes).
  %a = memory.buffer @inputs[0] {binding = "input:0", lifetime = array<i64: 0, 2>} : memref<2x3xf32>
  // A buffer may end exactly at the arena's end (512 + 48 <= 1024).
  %w = memory.buffer @weights_host[512] {lifetime = array<i64: 1, 1>, binding = "weight:fc.weight"} : memref<3x4xf32>
  %s = memory.buffer @small[16] : memref<4xf16>
  // 48 + 16 = 64 bytes: ends at the end of @small.
  %t = memory.buffer @small[48] {lifetime = array<i64: 3, 7>} : memref<2xi64>
  %e = memory.buffer @empty[0] : memref<0xf32>
  // Two buffers may overlap; keeping them apart is the planner's job, not the verifier's.
  %r = memory.buffer @inputs[0] : memref<i8>
  %d = memory.buffer @inputs[0] : memref<3x4xf32>
  %c = stream.copy "h2d" %w to %d : memref<3x4xf32> to memref<3x4xf32>
  func.return
}

// -----

// memory.buffer is Pure: an unused buffer is dead code for xDSL's DCE.

// CHECK-LABEL: func.func @dead_buffer() {
// CHECK-NEXT: memory.buffer @a[0] : memref<4xf32>
// CHECK-DCE-LABEL: func.func @dead_buffer() {
// CHECK-DCE-NEXT: func.return
memory.arena @a {size = 512 : i64}
func.func @dead_buffer() {
  %0 = memory.buffer @a[0] : memref<4xf32>
  func.return
}
