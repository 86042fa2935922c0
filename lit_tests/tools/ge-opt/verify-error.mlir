// RUN: not ge-opt %s 2>&1 | filecheck %s
// RUN: not ge-opt %s -p cse,dce 2>&1 | filecheck %s
// RUN: not ge-opt %s > %t.stdout 2> %t.stderr
// RUN: %python -c "import sys; sys.exit(open(sys.argv[1]).read() != '')" %t.stdout
// RUN: filecheck %s --input-file %t.stderr

// A verifier error: exit 1, nothing on stdout, and on stderr `file:line:col: error: <op>: <rule>`
// pointing at the op (line of its first result, column 3 here) with the op on the next line.
// Only the first invalid op is reported. Passes are not run on invalid input.

// CHECK-NOT: Traceback
// CHECK: verify-error.mlir:[[# @LINE + 7]]:3: error: graph.matmul: contraction dims differ: 4x8 and 7x16 (8 vs 7)
// CHECK-NEXT: {{^}}  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
// CHECK-NOT: error:
// CHECK-NOT: Traceback
// CHECK-NOT: builtin.module
func.func @first_invalid(%a: tensor<4x8xf32>, %b: tensor<7x16xf32>, %c: tensor<3xf32>) {
  %r = graph.relu %c : tensor<3xf32>
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<7x16xf32> -> tensor<4x16xf32>
  %1 = graph.add %c, %c : tensor<3xf32>, tensor<3xf32> -> tensor<4xf32>
  func.return
}
