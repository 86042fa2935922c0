// RUN: ge-opt %s -p constant-fold | filecheck %s
// RUN: ge-opt %s -p 'constant-fold{max-elements=16}' | filecheck %s --check-prefix=SMALL
// RUN: ge-opt %s -p constant-fold | ge-opt | filecheck %s

// Graph ops whose operands are all graph.constant are evaluated with the reference
// interpreter and replaced by a graph.constant; constants left unused are erased.

// The text encoder's causal mask: iotas -> sub -> relu -> cast to i1 folds into one literal
// (16 elements: within max-elements=16 too).
// CHECK-LABEL: func.func @causal_mask
// CHECK-NEXT:    %[[M:.*]] = graph.constant dense<{{\[}}[false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]> : tensor<4x4xi1>
// CHECK-NEXT:    func.return %[[M]] : tensor<4x4xi1>
// SMALL-LABEL: func.func @causal_mask
// SMALL-NEXT:    %[[M:.*]] = graph.constant dense<{{\[}}[false, true, true, true], [false, false, true, true], [false, false, false, true], [false, false, false, false]]> : tensor<4x4xi1>
// SMALL-NEXT:    func.return %[[M]] : tensor<4x4xi1>
func.func @causal_mask() -> tensor<4x4xi1> {
  %rows = graph.constant dense<[[0.0], [1.0], [2.0], [3.0]]> : tensor<4x1xf32>
  %cols = graph.constant dense<[[0.0, 1.0, 2.0, 3.0]]> : tensor<1x4xf32>
  %d = graph.sub %cols, %rows : tensor<1x4xf32>, tensor<4x1xf32> -> tensor<4x4xf32>
  %r = graph.relu %d : tensor<4x4xf32>
  %m = graph.cast %r : tensor<4x4xf32> -> tensor<4x4xi1>
  func.return %m : tensor<4x4xi1>
}

// 64 elements: folded by default, kept under max-elements=16.
// CHECK-LABEL: func.func @big
// CHECK-NEXT:    %[[C:.*]] = graph.constant dense<3.000000e+00> : tensor<8x8xf32>
// CHECK-NEXT:    func.return %[[C]]
// SMALL-LABEL: func.func @big
// SMALL-NEXT:    graph.constant dense<1.000000e+00> : tensor<8x8xf32>
// SMALL-NEXT:    graph.constant dense<2.000000e+00> : tensor<f32>
// SMALL-NEXT:    graph.add
func.func @big() -> tensor<8x8xf32> {
  %a = graph.constant dense<1.0> : tensor<8x8xf32>
  %b = graph.constant dense<2.0> : tensor<f32>
  %c = graph.add %a, %b : tensor<8x8xf32>, tensor<f32> -> tensor<8x8xf32>
  func.return %c : tensor<8x8xf32>
}

// A constant that is still used elsewhere stays; an op with a non-constant operand is not
// folded, but its constant operands can be.
// CHECK-LABEL: func.func @partial
// CHECK-SAME:    (%[[X:.*]]: tensor<2xf32>)
// CHECK-NEXT:    %[[A:.*]] = graph.constant dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %[[E:.*]] = graph.constant dense<[2.000000e+00, 8.000000e+00]> : tensor<2xf32>
// CHECK-NEXT:    %[[M:.*]] = graph.mul %[[X]], %[[E]]
// CHECK-NEXT:    %[[S:.*]] = graph.add %[[M]], %[[A]]
// CHECK-NEXT:    func.return %[[S]]
func.func @partial(%x: tensor<2xf32>) -> tensor<2xf32> {
  %a = graph.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %e = graph.add %a, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %m = graph.mul %x, %e : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %s = graph.add %m, %a : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  func.return %s : tensor<2xf32>
}

// Ops with several results, data movement, integer arithmetic, matmul, f16 rounding.
// CHECK-LABEL: func.func @kinds
// CHECK-NEXT:    %[[P:.*]] = graph.constant dense<[1, 2]> : tensor<2xi32>
// CHECK-NEXT:    %[[Q:.*]] = graph.constant dense<[3, 4, 5]> : tensor<3xi32>
// CHECK-NEXT:    %[[T:.*]] = graph.constant dense<{{\[}}[1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NEXT:    %[[D:.*]] = graph.constant dense<[-3, 3]> : tensor<2xi32>
// CHECK-NEXT:    %[[MM:.*]] = graph.constant dense<{{\[}}[7.000000e+00, 1.000000e+01], [1.500000e+01, 2.200000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT:    %[[H:.*]] = graph.constant dense<1.000000e+00> : tensor<f16>
// CHECK-NEXT:    func.return %[[P]], %[[Q]], %[[T]], %[[D]], %[[MM]], %[[H]]
func.func @kinds() -> (tensor<2xi32>, tensor<3xi32>, tensor<2x2xf32>, tensor<2xi32>, tensor<2x2xf32>, tensor<f16>) {
  %i = graph.constant dense<[1, 2, 3, 4, 5]> : tensor<5xi32>
  %p, %q = graph.split %i {axis = 0 : i64} : tensor<5xi32> -> tensor<2xi32>, tensor<3xi32>
  %m = graph.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %t = graph.transpose %m {perm = array<i64: 1, 0>} : tensor<2x2xf32> -> tensor<2x2xf32>
  %n = graph.constant dense<[-7, 7]> : tensor<2xi32>
  %two = graph.constant dense<2> : tensor<i32>
  %d = graph.div %n, %two : tensor<2xi32>, tensor<i32> -> tensor<2xi32>
  %mm = graph.matmul %m, %m : tensor<2x2xf32>, tensor<2x2xf32> -> tensor<2x2xf32>
  %h1 = graph.constant dense<1.0> : tensor<f16>
  %eps = graph.constant dense<0.0001> : tensor<f16>
  %h = graph.add %h1, %eps : tensor<f16>, tensor<f16> -> tensor<f16>
  func.return %p, %q, %t, %d, %mm, %h : tensor<2xi32>, tensor<3xi32>, tensor<2x2xf32>, tensor<2xi32>, tensor<2x2xf32>, tensor<f16>
}

// Not folded: a weight operand; a dynamic result type; an interpreter error (integer division
// by zero stays a run-time error); a result that is not finite (xDSL 0.74 cannot print it back);
// a bf16 result that is not a bf16 number (the interpreter computes bf16 in f32).
// CHECK-LABEL: func.func @kept
// CHECK:         graph.add
// CHECK:         graph.reshape
// CHECK:         graph.div
// CHECK:         graph.log
// CHECK:         graph.add
// CHECK:         func.return
func.func @kept() -> (tensor<2xf32>, tensor<?xf32>, tensor<2xi32>, tensor<2xf32>, tensor<bf16>) {
  %w = graph.weight "w" : tensor<2xf32>
  %c = graph.constant dense<1.0> : tensor<2xf32>
  %a = graph.add %w, %c : tensor<2xf32>, tensor<2xf32> -> tensor<2xf32>
  %r = graph.reshape %c : tensor<2xf32> -> tensor<?xf32>
  %n = graph.constant dense<[1, 2]> : tensor<2xi32>
  %z = graph.constant dense<0> : tensor<i32>
  %d = graph.div %n, %z : tensor<2xi32>, tensor<i32> -> tensor<2xi32>
  %zf = graph.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %l = graph.log %zf : tensor<2xf32>
  %b1 = graph.constant dense<0.1> : tensor<bf16>
  %b2 = graph.constant dense<0.2> : tensor<bf16>
  %b = graph.add %b1, %b2 : tensor<bf16>, tensor<bf16> -> tensor<bf16>
  func.return %a, %r, %d, %l, %b : tensor<2xf32>, tensor<?xf32>, tensor<2xi32>, tensor<2xf32>, tensor<bf16>
}

// bf16 results that are bf16 numbers fold.
// CHECK-LABEL: func.func @bf16_exact
// CHECK-NEXT:    %[[C:.*]] = graph.constant dense<3.000000e+00> : tensor<bf16>
func.func @bf16_exact() -> tensor<bf16> {
  %a = graph.constant dense<1.0> : tensor<bf16>
  %b = graph.constant dense<2.0> : tensor<bf16>
  %c = graph.add %a, %b : tensor<bf16>, tensor<bf16> -> tensor<bf16>
  func.return %c : tensor<bf16>
}

// Inside a fused group (constants are cloned into groups).
// CHECK-LABEL: func.func @in_fused
// CHECK:         ^{{.*}}(%[[A:.*]]: tensor<4xf32>):
// CHECK-NEXT:      %[[C:.*]] = graph.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT:      %[[M:.*]] = graph.mul %[[A]], %[[C]]
func.func @in_fused(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = graph.fused (%x) {kind = "elementwise"} : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %one = graph.constant dense<1.0> : tensor<f32>
    %two = graph.add %one, %one : tensor<f32>, tensor<f32> -> tensor<f32>
    %m = graph.mul %a, %two : tensor<4xf32>, tensor<f32> -> tensor<4xf32>
    graph.yield %m : tensor<4xf32>
  }
  func.return %r : tensor<4xf32>
}
