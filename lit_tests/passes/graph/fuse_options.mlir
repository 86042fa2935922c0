// RUN: ge-opt %s --split-input-file -p 'fuse{max-inputs=2}' | filecheck %s --check-prefix=MAX2
// RUN: ge-opt %s --split-input-file -p fuse | filecheck %s --check-prefix=UB
// RUN: ge-opt %s --split-input-file -p 'fuse{device="310P3"}' | filecheck %s --check-prefix=P310
// RUN: not ge-opt %s --split-input-file -p 'fuse{device="no-such-device"}' 2>&1 | filecheck %s --check-prefix=NODEV

// fuse options. max-inputs (default 10) bounds the distinct values a kernel reads (small
// constants cloned in do not count); device (default 910B2) sets the live-tensor cap: a group
// keeps at most (ub_bytes / 2) / 4096 tensors (inputs + every value it computes), 24 on the
// 910B2 (192 KiB UB) and 32 on the 310P3 (256 KiB UB).

// NODEV: unknown device 'no-such-device'

// With max-inputs=2, matmul (x, w) + bias would read 3 values: the matmul stays alone and the
// bias add + gelu (reading the product and the bias) form the kernel.

// MAX2-LABEL: func.func @mlp(
// MAX2-NEXT: %w = graph.weight
// MAX2-NEXT: %b = graph.weight
// MAX2-NEXT: [[M:%.*]] = graph.matmul %x, %w
// MAX2-NEXT: [[R:%.*]] = graph.fused([[M]], %b) {kind = "elementwise"}
// MAX2-NEXT: ^bb0(
// MAX2-NEXT: graph.add
// MAX2-NEXT: graph.gelu
// MAX2-NEXT: graph.yield
// MAX2-NEXT: }
// MAX2-NEXT: func.return [[R]]
// UB-LABEL: func.func @mlp(
// UB-NEXT: %w = graph.weight
// UB-NEXT: %b = graph.weight
// UB-NEXT: graph.fused(%x, %w, %b) {kind = "contraction"}
func.func @mlp(%x: tensor<4x8xf32>) -> tensor<4x16xf32> {
  %w = graph.weight "fc.weight" : tensor<8x16xf32>
  %b = graph.weight "fc.bias" : tensor<16xf32>
  %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32> -> tensor<4x16xf32>
  %2 = graph.gelu %1 : tensor<4x16xf32>
  func.return %2 : tensor<4x16xf32>
}

// -----

// a + b + c + d with max-inputs=2: (a + b) cannot take c, so each add after the first reads
// a fresh input and a kernel result: no kernel reads more than 2 values. A scalar constant
// does not count as an input.

// MAX2-LABEL: func.func @sum4(
// MAX2-NEXT: %two = graph.constant
// MAX2-NEXT: [[S1:%.*]] = graph.fused(%a, %b) {kind = "elementwise"}
// MAX2-NEXT: ^bb0(
// MAX2-NEXT: graph.add
// MAX2-NEXT: graph.constant
// MAX2-NEXT: graph.mul
// MAX2-NEXT: graph.yield
// MAX2-NEXT: }
// MAX2-NEXT: [[S2:%.*]] = graph.add [[S1]], %c
// MAX2-NEXT: [[S3:%.*]] = graph.add [[S2]], %d
// MAX2-NEXT: func.return [[S3]]
// UB-LABEL: func.func @sum4(
// UB-NEXT: %two = graph.constant
// UB-NEXT: graph.fused(%a, %b, %c, %d) {kind = "elementwise"}
func.func @sum4(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>, %d: tensor<8xf32>) -> tensor<8xf32> {
  %two = graph.constant dense<2.0> : tensor<f32>
  %0 = graph.add %a, %b : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %1 = graph.mul %0, %two : tensor<8xf32>, tensor<f32> -> tensor<8xf32>
  %2 = graph.add %1, %c : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  %3 = graph.add %2, %d : tensor<8xf32>, tensor<8xf32> -> tensor<8xf32>
  func.return %3 : tensor<8xf32>
}

// -----

// A chain of 30 negations. On the 910B2 a kernel holds at most 24 tensors (its input and 23
// results): 23 ops, then the remaining 7. On the 310P3 (32 tensors) the chain is one kernel.

// UB-LABEL: func.func @chain(
// UB-NEXT: [[K1:%.*]] = graph.fused(%x) {kind = "elementwise"}
// UB-NEXT: ^bb0(
// UB-COUNT-23: graph.neg
// UB-NEXT: graph.yield
// UB-NEXT: }
// UB-NEXT: [[K2:%.*]] = graph.fused([[K1]]) {kind = "elementwise"}
// UB-NEXT: ^bb0(
// UB-COUNT-7: graph.neg
// UB-NEXT: graph.yield
// UB-NEXT: }
// UB-NEXT: func.return [[K2]]
// P310-LABEL: func.func @chain(
// P310-NEXT: [[K:%.*]] = graph.fused(%x) {kind = "elementwise"}
// P310-NEXT: ^bb0(
// P310-COUNT-30: graph.neg
// P310-NEXT: graph.yield
// P310-NEXT: }
// P310-NEXT: func.return [[K]]
func.func @chain(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.neg %x : tensor<4x8xf32>
  %1 = graph.neg %0 : tensor<4x8xf32>
  %2 = graph.neg %1 : tensor<4x8xf32>
  %3 = graph.neg %2 : tensor<4x8xf32>
  %4 = graph.neg %3 : tensor<4x8xf32>
  %5 = graph.neg %4 : tensor<4x8xf32>
  %6 = graph.neg %5 : tensor<4x8xf32>
  %7 = graph.neg %6 : tensor<4x8xf32>
  %8 = graph.neg %7 : tensor<4x8xf32>
  %9 = graph.neg %8 : tensor<4x8xf32>
  %10 = graph.neg %9 : tensor<4x8xf32>
  %11 = graph.neg %10 : tensor<4x8xf32>
  %12 = graph.neg %11 : tensor<4x8xf32>
  %13 = graph.neg %12 : tensor<4x8xf32>
  %14 = graph.neg %13 : tensor<4x8xf32>
  %15 = graph.neg %14 : tensor<4x8xf32>
  %16 = graph.neg %15 : tensor<4x8xf32>
  %17 = graph.neg %16 : tensor<4x8xf32>
  %18 = graph.neg %17 : tensor<4x8xf32>
  %19 = graph.neg %18 : tensor<4x8xf32>
  %20 = graph.neg %19 : tensor<4x8xf32>
  %21 = graph.neg %20 : tensor<4x8xf32>
  %22 = graph.neg %21 : tensor<4x8xf32>
  %23 = graph.neg %22 : tensor<4x8xf32>
  %24 = graph.neg %23 : tensor<4x8xf32>
  %25 = graph.neg %24 : tensor<4x8xf32>
  %26 = graph.neg %25 : tensor<4x8xf32>
  %27 = graph.neg %26 : tensor<4x8xf32>
  %28 = graph.neg %27 : tensor<4x8xf32>
  %29 = graph.neg %28 : tensor<4x8xf32>
  func.return %29 : tensor<4x8xf32>
}
